using SupplyChain.Core.Errors;
using SupplyChain.Core.Transparency;

namespace SupplyChain.Core.Tests.Transparency;

public class CheckpointTests
{
    private const string Root = "rs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=";
    private const string Sig = "\u2014 log.example 8w1amdbj1mjNN674dHAkD92+QZoEgBC7o0mXYSTRluDjQrOPjrps3zQB9ut+ShLepyZPsWBDi5IB3yXyjgjQT6OG9A8=\n";

    [Fact]
    public void Parses_origin_size_root_extensions_and_signatures()
    {
        string text = $"rekor.sigstore.dev - 2605736670972794746\n23083062\n{Root}\nTimestamp: 1689177396617352539\n\n{Sig}\u2014 witness.example/w1 O8PH5AAAAABopO8+\n";
        Checkpoint checkpoint = Checkpoint.Parse(text);
        Assert.Equal("rekor.sigstore.dev - 2605736670972794746", checkpoint.Origin);
        Assert.Equal(23083062, checkpoint.Size);
        Assert.Equal(Convert.FromBase64String(Root), checkpoint.RootHash.ToArray());
        Assert.Equal(["Timestamp: 1689177396617352539"], checkpoint.Extensions);
        Assert.Equal(2, checkpoint.Signatures.Count);
        Assert.Equal("log.example", checkpoint.Signatures[0].Name);
        Assert.Equal(0xf30d5a99u, checkpoint.Signatures[0].KeyHint);
        Assert.Equal(64, checkpoint.Signatures[0].Signature.Length);
        Assert.Equal("witness.example/w1", checkpoint.Signatures[1].Name);

        // The signed text is the body up to and including the newline before the blank line.
        Assert.Equal($"rekor.sigstore.dev - 2605736670972794746\n23083062\n{Root}\nTimestamp: 1689177396617352539\n", System.Text.Encoding.UTF8.GetString(checkpoint.SignedText.Span));
    }

    [Theory]
    [InlineData("missing origin", $"736\n{Root}\n\n{Sig}")]
    [InlineData("missing size", $"log.example\n{Root}\n\n{Sig}")]
    [InlineData("missing root hash", $"log.example\n736\n\n{Sig}")]
    [InlineData("empty origin", $"\n736\n{Root}\n\n{Sig}")]
    [InlineData("no signature lines", $"log.example\n736\n{Root}\n\n")]
    [InlineData("no blank line", $"log.example\n736\n{Root}\n{Sig}")]
    [InlineData("size with leading zero", $"log.example\n0736\n{Root}\n\n{Sig}")]
    [InlineData("negative size", $"log.example\n-736\n{Root}\n\n{Sig}")]
    [InlineData("size with sign", $"log.example\n+736\n{Root}\n\n{Sig}")]
    [InlineData("size over 63 bits", $"log.example\n9223372036854775808\n{Root}\n\n{Sig}")]
    [InlineData("short root hash", "log.example\n736\nrs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGU\n\n" + Sig)]
    [InlineData("root hash not base64", "log.example\n736\n!s1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=\n\n" + Sig)]
    [InlineData("signature line without em dash", $"log.example\n736\n{Root}\n\n- log.example 8w1amdbj\n")]
    [InlineData("signature line with hyphen-minus", $"log.example\n736\n{Root}\n\n-- log.example 8w1amdbj1mjN\n")]
    [InlineData("signature without key name", $"log.example\n736\n{Root}\n\n\u2014 8w1amdbj1mjN\n")]
    [InlineData("signature with extra field", $"log.example\n736\n{Root}\n\n\u2014 log.example 8w1amdbj1mjN extra\n")]
    [InlineData("signature not base64", $"log.example\n736\n{Root}\n\n\u2014 log.example 8w1a*dbj1mjN\n")]
    [InlineData("signature without padding", $"log.example\n736\n{Root}\n\n\u2014 log.example 8w1amdbj1mj\n")]
    [InlineData("signature shorter than key hint", $"log.example\n736\n{Root}\n\n\u2014 log.example 8w1amQ==\n")]
    [InlineData("key name with plus", $"log.example\n736\n{Root}\n\n\u2014 log+example 8w1amdbj1mjN\n")]
    [InlineData("last signature line without newline", $"log.example\n736\n{Root}\n\n\u2014 log.example 8w1amdbj1mjN")]
    [InlineData("carriage return", $"log.example\r\n736\n{Root}\n\n{Sig}")]
    [InlineData("tab control character", $"log.example\t\n736\n{Root}\n\n{Sig}")]
    [InlineData("text without final newline", $"log.example\n736\n{Root}")]
    public void Rejects_malformed_notes_with_SC1208(string shape, string text)
    {
        var ex = Assert.Throws<VerificationFailedException>(() => Checkpoint.Parse(text));
        Assert.True(ex.Code == "SC1208", $"{shape}: {ex.Code}");
    }

    [Fact]
    public void Rejects_notes_over_the_size_limit_and_signature_count_limit()
    {
        string huge = $"log.example\n736\n{Root}\n{new string('x', 70_000)}\n\n{Sig}";
        Assert.Equal("SC1208", Assert.Throws<VerificationFailedException>(() => Checkpoint.Parse(huge)).Code);

        string many = $"log.example\n736\n{Root}\n\n" + string.Concat(Enumerable.Repeat(Sig, 101));
        Assert.Equal("SC1208", Assert.Throws<VerificationFailedException>(() => Checkpoint.Parse(many)).Code);
        string enough = $"log.example\n736\n{Root}\n\n" + string.Concat(Enumerable.Repeat(Sig, 100));
        Assert.Equal(100, Checkpoint.Parse(enough).Signatures.Count);
    }
}
