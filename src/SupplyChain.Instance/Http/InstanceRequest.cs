namespace SupplyChain.Instance.Http;

/// <summary>What the router reads of a request besides its body.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path.</param>
/// <param name="Query">The query string (with or without the leading <c>?</c>), or null.</param>
/// <param name="Authorization">The Authorization header, or null.</param>
/// <param name="ContentType">The Content-Type header, or null.</param>
internal sealed record InstanceRequest(string Method, string Path, string? Query, string? Authorization, string? ContentType);
