using System.Globalization;
using System.Text.Json;
using SupplyChain.Admission.Review;

namespace SupplyChain.Admission.Workloads;

/// <summary>
/// Extracts every image reference of an AdmissionRequest's object with its location (k8s.io/api/core/v1 PodSpec):
/// <c>containers[].image</c>, <c>initContainers[].image</c>, <c>ephemeralContainers[].image</c> and image volumes
/// (<c>volumes[].image.reference</c>, ImageVolumeSource, Kubernetes 1.31+). Fails closed: an unknown kind
/// (<c>SC7010</c>), a missing or misshapen object (<c>SC7011</c>), a container without image (<c>SC7012</c>), more
/// than <see cref="Limits.MaxImagesPerObject"/> images (<c>SC7013</c>).
/// </summary>
internal static class WorkloadImages
{
    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    /// <summary>The images of <paramref name="request"/>'s object, in the order found (duplicates kept: one entry per location).</summary>
    /// <param name="request">A CREATE or UPDATE request.</param>
    /// <returns>The images.</returns>
    public static IReadOnlyList<WorkloadImage> Extract(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ExtractFrom(request, request.NewObject, "object");
    }

    /// <summary>
    /// The image references of an UPDATE's <c>oldObject</c> (the images the workload already had), or <c>null</c> when
    /// there is none or it cannot be read: then nothing counts as unchanged and every image is evaluated (fail closed).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The references, or <c>null</c>.</returns>
    public static HashSet<string>? ExistingReferences(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation != "UPDATE" || request.OldObject is not { ValueKind: JsonValueKind.Object })
        {
            return null;
        }

        try
        {
            return ExtractFrom(request, request.OldObject, "oldObject").Select(i => i.Reference).ToHashSet(StringComparer.Ordinal);
        }
        catch (Core.Errors.SupplyChainException)
        {
            return null;
        }
    }

    private static List<WorkloadImage> ExtractFrom(AdmissionRequest request, JsonElement? obj, string field)
    {
        try
        {
            return ExtractCore(request, obj, field);
        }
        catch (InvalidOperationException ex)
        {
            // An image string escape that is not valid UTF-16 (a lone surrogate): JsonElement.GetString refuses it.
            throw AdmissionErrors.WorkloadMalformed.ToException("a string of the object is not valid Unicode", ex);
        }
    }

    private static List<WorkloadImage> ExtractCore(AdmissionRequest request, JsonElement? obj, string field)
    {
        string[]? path = WorkloadKinds.PodSpecPath(request);
        if (obj is not { ValueKind: JsonValueKind.Object } root)
        {
            throw AdmissionErrors.WorkloadMalformed.ToException($"request.{field} is missing on {request.Operation}");
        }

        var images = new List<WorkloadImage>();
        if (path is null)
        {
            // Legacy EphemeralContainers object: { "ephemeralContainers": [...] } at the top level.
            ReadContainers(root, "ephemeralContainers", "", images);
            return images;
        }

        JsonElement spec = root;
        string location = "";
        foreach (string step in path)
        {
            location += (location.Length == 0 ? "" : ".") + step;
            if (spec.ValueKind != JsonValueKind.Object || !spec.TryGetProperty(step, out JsonElement next) || next.ValueKind != JsonValueKind.Object)
            {
                throw AdmissionErrors.WorkloadMalformed.ToException($"{location} is missing or not an object");
            }

            spec = next;
        }

        string prefix = location + ".";
        foreach (string list in ContainerLists)
        {
            ReadContainers(spec, list, prefix, images);
        }

        ReadImageVolumes(spec, prefix, images);
        return images;
    }

    private static void ReadContainers(JsonElement spec, string list, string prefix, List<WorkloadImage> images)
    {
        foreach ((JsonElement container, string at) in Items(spec, list, prefix))
        {
            if (container.ValueKind != JsonValueKind.Object)
            {
                throw AdmissionErrors.WorkloadMalformed.ToException($"{at} is not an object");
            }

            Add(images, ImageOf(container, "image", at + ".image"), at + ".image");
        }
    }

    private static void ReadImageVolumes(JsonElement spec, string prefix, List<WorkloadImage> images)
    {
        foreach ((JsonElement volume, string at) in Items(spec, "volumes", prefix))
        {
            if (volume.ValueKind != JsonValueKind.Object)
            {
                throw AdmissionErrors.WorkloadMalformed.ToException($"{at} is not an object");
            }

            if (!volume.TryGetProperty("image", out JsonElement source) || source.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (source.ValueKind != JsonValueKind.Object)
            {
                throw AdmissionErrors.WorkloadMalformed.ToException($"{at}.image is not an object");
            }

            Add(images, ImageOf(source, "reference", at + ".image.reference"), at + ".image.reference");
        }
    }

    /// <summary>The items of an optional list member: absent or null is empty; anything but an array is SC7011.</summary>
    private static IEnumerable<(JsonElement Item, string Location)> Items(JsonElement parent, string name, string prefix)
    {
        if (!parent.TryGetProperty(name, out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw AdmissionErrors.WorkloadMalformed.ToException($"{prefix}{name} is not an array");
        }

        int i = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            yield return (item, string.Create(CultureInfo.InvariantCulture, $"{prefix}{name}[{i++}]"));
        }
    }

    /// <summary>
    /// The image string of a container or image volume. The API server requires it ("Required value"), but a webhook
    /// must not depend on another component's validation: missing, empty or non-string is SC7012 (fail closed).
    /// </summary>
    private static string ImageOf(JsonElement owner, string member, string location) =>
        owner.TryGetProperty(member, out JsonElement image) && image.ValueKind == JsonValueKind.String && image.GetString() is { Length: > 0 } text
            ? text
            : throw AdmissionErrors.ImageMissing.ToException(location);

    private static void Add(List<WorkloadImage> images, string reference, string location)
    {
        if (images.Count >= Limits.MaxImagesPerObject)
        {
            throw AdmissionErrors.TooManyImages.ToException($"more than {Limits.MaxImagesPerObject}");
        }

        images.Add(new WorkloadImage(reference, location));
    }
}
