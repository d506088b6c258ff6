using System.Net;
using System.Text.Json;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Registry.Transport;

namespace SupplyChain.Oci.Registry;

/// <summary>Tag listing with pagination (<c>n</c>, <c>last</c>, and the <c>Link</c> header).</summary>
public sealed partial class OciRegistryClient
{
    /// <summary>
    /// Lists a repository's tags, following pagination (distribution spec "Listing Tags": <c>?n=</c>, and a
    /// <c>Link: &lt;url&gt;; rel="next"</c> header for the next page). Never cached. At most 100,000 tags (<c>SC4007</c>).
    /// </summary>
    /// <param name="repository">The repository (tag and digest ignored).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The tags in the registry's order.</returns>
    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var tags = new List<string>();
        Uri? url = Url(repository, "/tags/list" + (_options.TagPageSize > 0 ? "?n=" + _options.TagPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty));
        string what = $"tags of {repository.Registry}/{repository.Repository}";
        for (int page = 0; url is not null; page++)
        {
            if (page >= Limits.MaxPages)
            {
                throw OciErrors.SizeLimitExceeded.ToException($"{what}: more than {Limits.MaxPages} pages");
            }

            Uri current = url;
            using HttpResponseMessage response = await _transport.SendAsync(RegistryScope.Pull(repository), () => Request(HttpMethod.Get, current, "application/json"), what, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw await _transport.ErrorAsync(response, what, cancellationToken).ConfigureAwait(false);
            }

            byte[] body = await _transport.ReadBodyAsync(response, Limits.MaxSmallResponseBytes * 4, what, cancellationToken).ConfigureAwait(false);
            TagListJson? list;
            try
            {
                list = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.TagListJson);
            }
            catch (JsonException ex)
            {
                throw OciErrors.RegistryResponseMalformed.ToException($"{what}: not a tag list", ex);
            }

            // distribution 2.8 answers "tags": null for a repository without tags.
            foreach (string tag in list?.Tags ?? [])
            {
                if (!ImageReference.IsTag(tag))
                {
                    throw OciErrors.RegistryResponseMalformed.ToException($"{what}: the list holds something that is not a tag", null, RegistryResponses.Remote(tag));
                }

                tags.Add(tag);
            }

            if (tags.Count > Limits.MaxTags)
            {
                throw OciErrors.SizeLimitExceeded.ToException($"{what}: more than {Limits.MaxTags} tags");
            }

            url = NextPage(response, current, what);
        }

        return tags;
    }

    /// <summary>The <c>rel="next"</c> target of a Link header (RFC 8288), resolved against the request and checked, or <c>null</c>.</summary>
    private Uri? NextPage(HttpResponseMessage response, Uri requestUrl, string what)
    {
        if (!response.Headers.TryGetValues("Link", out IEnumerable<string>? values))
        {
            return null;
        }

        foreach (string value in values)
        {
            foreach (string link in value.Split(','))
            {
                int open = link.IndexOf('<', StringComparison.Ordinal);
                int close = link.IndexOf('>', StringComparison.Ordinal);
                if (open < 0 || close < open)
                {
                    throw OciErrors.RegistryResponseMalformed.ToException($"{what}: a Link header is not <url>; rel=...");
                }

                string parameters = link[(close + 1)..].Replace(" ", string.Empty, StringComparison.Ordinal);
                if (!parameters.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) && !parameters.Contains("rel=next", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!Uri.TryCreate(requestUrl, link[(open + 1)..close], out Uri? next))
                {
                    throw OciErrors.RegistryResponseMalformed.ToException($"{what}: the Link target is not a URL");
                }

                _transport.Endpoints.Check(next, what + " Link");
                if (!string.Equals(next.Authority, requestUrl.Authority, StringComparison.OrdinalIgnoreCase))
                {
                    throw OciErrors.RegistryResponseMalformed.ToException($"{what}: the Link points to another host");
                }

                return next;
            }
        }

        return null;
    }
}
