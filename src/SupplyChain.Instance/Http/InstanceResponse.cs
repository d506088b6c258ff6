using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Errors;

namespace SupplyChain.Instance.Http;

/// <summary>A response of the instance's services, independent of the transport (in process or served on loopback).</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Body">The body.</param>
internal sealed record InstanceResponse(int Status, string ContentType, byte[] Body)
{
    public static InstanceResponse Json(byte[] body) => new(200, "application/json", body);

    public static InstanceResponse Json(string body) => new(200, "application/json", Encoding.UTF8.GetBytes(body));

    /// <summary>
    /// A failure as <c>{"code":"SC80xx","message":...}</c> with a 4xx status chosen by the code (bad input 400, token
    /// 401, too large 413, unknown path 404, method 405) or 503 for a failure of the instance itself; never 500.
    /// </summary>
    public static InstanceResponse Error(SupplyChainException error)
    {
        string code = error.Code;
        int status = code switch
        {
            "SC8011" => 413,
            "SC8012" => 404,
            "SC8013" => 405,
            "SC8020" or "SC8021" or "SC8022" or "SC8023" or "SC8024" => 401,
            "SC8025" => 502,
            _ => error.Error.Category switch
            {
                ErrorCategory.MalformedInput or ErrorCategory.VerificationFailed => 400,
                _ => 503,
            },
        };
        string body = new JsonObject { ["code"] = code, ["message"] = error.Message }.ToJsonString();
        return new InstanceResponse(status, "application/json", Encoding.UTF8.GetBytes(body));
    }
}
