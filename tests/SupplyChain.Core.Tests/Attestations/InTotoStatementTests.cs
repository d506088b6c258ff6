using System.Text;
using System.Text.Json;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Tests.Attestations;

/// <summary>The statement reader (a source-generated DTO with the predicate kept as a JSON value): shapes read, wrong types SC1505.</summary>
public sealed class InTotoStatementTests
{
    private const string Subject = "[{\"name\":\"a\",\"digest\":{\"sha256\":\"00ff\"},\"annotations\":{\"x\":1}}]";

    private static InTotoStatement Parse(string json) => InTotoStatement.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_statement_is_read_with_its_predicate_of_any_shape()
    {
        InTotoStatement statement = Parse("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicateType\":\"https://p/v1\",\"predicate\":{\"a\":[1,{\"b\":null}]}}");
        Assert.Equal("https://p/v1", statement.PredicateType);
        InTotoSubject subject = Assert.Single(statement.Subjects);
        Assert.Equal("a", subject.Name);
        Assert.Equal("00ff", subject.Digests["sha256"]);
        Assert.Same(subject, statement.FindSubject("sha256", [0x00, 0xff]));
        Assert.Equal(JsonValueKind.Object, statement.Predicate!.Value.ValueKind);
        Assert.Equal(1, statement.Predicate.Value.GetProperty("a")[0].GetInt32());
    }

    [Fact]
    public void An_absent_predicate_is_null_and_a_json_null_predicate_is_kept()
    {
        Assert.Null(Parse("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":" + Subject + ",\"predicateType\":\"p\"}").Predicate);
        Assert.Equal(JsonValueKind.Null, Parse("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicateType\":\"p\",\"predicate\":null}").Predicate!.Value.ValueKind);
    }

    [Theory]
    [InlineData("{\"_type\":7,\"subject\":" + Subject + ",\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicateType\":[\"p\"]}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":5,\"digest\":{\"sha256\":\"00\"}}],\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":0}}],\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":[]}],\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha256\":null}}],\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\",\"digest\":{\"sha512\":null,\"sha256\":\"00ff\"}}],\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[null],\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":{},\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + "}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v2\",\"subject\":" + Subject + ",\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicateType\":\"p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"\\ud800\",\"digest\":{\"sha256\":\"00\"}}],\"predicateType\":\"p\"}")]
    [InlineData("[]")]
    [InlineData("null")]
    public void A_statement_of_the_wrong_shape_is_SC1505(string json) =>
        Assert.Equal("SC1505", Assert.ThrowsAny<SupplyChainException>(() => Parse(json)).Code);
}
