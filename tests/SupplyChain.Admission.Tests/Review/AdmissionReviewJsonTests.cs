using System.Text;
using System.Text.Json;
using SupplyChain.Admission.Review;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Review;

/// <summary>AdmissionReviewJson: strict reading within limits (each failure asserts its SC70xx code) and response writing.</summary>
public class AdmissionReviewJsonTests
{
    private const string Valid = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
          "uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
          "kind":{"group":"","version":"v1","kind":"Pod"},
          "resource":{"group":"","version":"v1","resource":"pods"},
          "requestKind":{"group":"","version":"v1","kind":"Pod"},
          "name":"web","namespace":"shop","operation":"CREATE",
          "userInfo":{"username":"alice","groups":["dev"]},
          "object":{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"a","image":"registry.example/a:1"}]}},
          "oldObject":null,"dryRun":true,"options":{"kind":"CreateOptions","apiVersion":"meta.k8s.io/v1"},
          "someFutureField":{"x":1}}}
        """;

    private static AdmissionReview Read(string json) => AdmissionReviewJson.Read(Encoding.UTF8.GetBytes(json));

    private static void AssertCode(string code, string json) => ErrorAssert.AssertCode(code, () => Read(json));

    [Fact]
    public void A_valid_review_is_read_with_every_field()
    {
        AdmissionReview review = Read(Valid);
        AdmissionRequest request = Assert.IsType<AdmissionRequest>(review.Request);
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", request.Uid);
        Assert.Equal("Pod", request.Kind.Kind);
        Assert.Equal("pods", request.Resource.Resource);
        Assert.Equal("Pod", request.RequestKind!.Kind);
        Assert.Equal("shop", request.Namespace);
        Assert.Equal("web", request.Name);
        Assert.Equal("CREATE", request.Operation);
        Assert.True(request.DryRun);
        Assert.Null(request.OldObject);
        Assert.Equal(JsonValueKind.Object, request.NewObject!.Value.ValueKind);
        Assert.Equal("registry.example/a:1", request.NewObject.Value.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString());
        Assert.Equal("alice", request.UserInfo!.Value.GetProperty("username").GetString());
    }

    [Fact]
    public void A_body_over_4_MiB_is_SC7001()
    {
        byte[] body = new byte[(4 * 1024 * 1024) + 1];
        var ex = Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => AdmissionReviewJson.Read(body)));
        Assert.Equal("SC7001", ex.Error.Code);
        Assert.IsType<MalformedInputException>(ex);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\"")]
    [InlineData("{} {}")]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{/*c*/\"a\":1}")]
    public void Ill_formed_JSON_is_SC7002(string json) => AssertCode("SC7002", json);

    [Fact]
    public void Nesting_deeper_than_the_limit_is_SC7002()
    {
        string deep = string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70);
        AssertCode("SC7002", Valid.Replace("\"someFutureField\":{\"x\":1}", "\"deep\":" + deep, StringComparison.Ordinal));
    }

    [Fact]
    public void A_duplicate_key_deep_in_the_object_is_SC7002() =>
        AssertCode("SC7002", Valid.Replace("\"image\":\"registry.example/a:1\"", "\"image\":\"registry.example/a:1\",\"image\":\"evil/x:1\"", StringComparison.Ordinal));

    [Theory]
    [InlineData("\"apiVersion\":\"admission.k8s.io/v1\"", "\"apiVersion\":\"admission.k8s.io/v1beta1\"")]
    [InlineData("\"apiVersion\":\"admission.k8s.io/v1\",", "")]
    [InlineData("\"kind\":\"AdmissionReview\"", "\"kind\":\"Pod\"")]
    [InlineData("\"kind\":\"AdmissionReview\"", "\"kind\":7")]
    public void Another_version_or_kind_is_SC7003(string from, string to) => AssertCode("SC7003", Valid.Replace(from, to, StringComparison.Ordinal));

    [Theory]
    [InlineData("\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",", "")]
    [InlineData("\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\"", "\"uid\":\"\"")]
    [InlineData("\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\"", "\"uid\":42")]
    [InlineData("\"operation\":\"CREATE\"", "\"operation\":\"PATCH\"")]
    [InlineData("\"operation\":\"CREATE\",", "")]
    [InlineData("\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\n  \"resource\"", "\"resource\"")]
    [InlineData("\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"},", "")]
    [InlineData("\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"}", "\"resource\":{\"group\":\"\",\"version\":\"v1\"}")]
    [InlineData("\"object\":{\"apiVersion\"", "\"object\":[],\"x\":{\"apiVersion\"")]
    [InlineData("\"object\":{\"apiVersion\"", "\"object\":\"pod\",\"x\":{\"apiVersion\"")]
    [InlineData("\"dryRun\":true", "\"dryRun\":\"yes\"")]
    [InlineData("\"namespace\":\"shop\"", "\"namespace\":[\"shop\"]")]
    public void A_malformed_request_is_SC7004(string from, string to)
    {
        string json = Valid.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(from, json, StringComparison.Ordinal);
        AssertCode("SC7004", json.Replace(from, to, StringComparison.Ordinal));
    }

    [Fact]
    public void A_review_without_request_is_SC7004() =>
        AssertCode("SC7004", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"x\",\"allowed\":true}}");

    [Fact]
    public void A_delete_with_a_null_object_is_read()
    {
        AdmissionRequest request = Read(Valid.Replace("\"operation\":\"CREATE\"", "\"operation\":\"DELETE\"", StringComparison.Ordinal)
            .Replace("\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"registry.example/a:1\"}]}}", "\"object\":null", StringComparison.Ordinal)).Request!;
        Assert.Equal("DELETE", request.Operation);
        Assert.Null(request.NewObject);
    }

    [Fact]
    public void Write_echoes_the_version_and_writes_only_the_response()
    {
        AdmissionReview review = Read(Valid);
        review.Response = new AdmissionResponse
        {
            Uid = review.Request!.Uid,
            Allowed = false,
            Status = new AdmissionStatus { Code = 403, Reason = "Forbidden", Message = "SC5102: no" },
            Warnings = ["w1"],
            AuditAnnotations = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
        };
        using JsonDocument written = JsonDocument.Parse(AdmissionReviewJson.Write(review));
        JsonElement root = written.RootElement;
        Assert.Equal(["apiVersion", "kind", "response"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("admission.k8s.io/v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("AdmissionReview", root.GetProperty("kind").GetString());
        JsonElement response = root.GetProperty("response");
        Assert.Equal(["uid", "allowed", "status", "warnings", "auditAnnotations"], response.EnumerateObject().Select(p => p.Name));
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", response.GetProperty("uid").GetString());
        Assert.False(response.GetProperty("allowed").GetBoolean());
        Assert.Equal(403, response.GetProperty("status").GetProperty("code").GetInt32());
        Assert.Equal(["a", "b"], response.GetProperty("auditAnnotations").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Write_of_an_allowed_response_has_no_status_warnings_or_patch()
    {
        byte[] json = AdmissionReviewJson.Write(new AdmissionReview { Response = new AdmissionResponse { Uid = "u", Allowed = true } });
        Assert.Equal("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\"u\",\"allowed\":true}}", Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void Write_refuses_a_review_without_response() =>
        Assert.Throws<ArgumentException>(() => AdmissionReviewJson.Write(new AdmissionReview()));
}
