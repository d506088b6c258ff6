using System.Security.Cryptography;
using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Tuf.Tests;

/// <summary>Delegated targets (TUF spec 5.6.7): path patterns, terminating delegations, signatures by the delegator's keys.</summary>
public sealed class DelegationTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 22, 0, 0, 0, TimeSpan.Zero);
    private readonly RepoBuilder _repo = new(Now);

    public void Dispose() => _repo.Dispose();

    private async Task<TufResult<ReadOnlyMemory<byte>>> GetAsync(string target)
    {
        _repo.PublishRoot();
        _repo.PublishTopLevel();
        await using TestServer server = await TestServer.StartAsync(_repo.Dir);
        using var client = new TufClient(new TufClientOptions { RepositoryUrl = server.Url, InitialRoot = _repo.Root(1), InMemoryCache = true, TimeProvider = new FrozenClock(Now) });
        return await client.GetTargetAsync(target);
    }

    private static Dictionary<string, byte[]> Files(params string[] names) => names.ToDictionary(n => n, n => Encoding.UTF8.GetBytes("content of " + n));

    [Fact]
    public async Task A_target_listed_by_a_delegated_role_is_found_and_checked()
    {
        _repo.Delegations.Add(new Delegation("team-a", ECDsa.Create(ECCurve.NamedCurves.nistP256), ["a/*"], true, 3, Files("a/x.json")));
        TufResult<ReadOnlyMemory<byte>> result = await GetAsync("a/x.json");
        Assert.Equal("content of a/x.json", Encoding.UTF8.GetString(result.Bytes.Span));
        Assert.Equal(3, result.Provenance.TargetsVersion);
    }

    [Fact]
    public async Task A_terminating_delegation_stops_the_search()
    {
        _repo.Delegations.Add(new Delegation("first", ECDsa.Create(ECCurve.NamedCurves.nistP256), ["*/x.json"], true, 1, Files("c/x.json")));
        _repo.Delegations.Add(new Delegation("second", ECDsa.Create(ECCurve.NamedCurves.nistP256), ["b/*"], false, 1, Files("b/x.json")));
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => GetAsync("b/x.json"));
        Assert.Equal(TufErrors.TargetNotFound, ex.Error);
    }

    [Fact]
    public async Task A_non_terminating_delegation_lets_the_search_continue()
    {
        _repo.Delegations.Add(new Delegation("first", ECDsa.Create(ECCurve.NamedCurves.nistP256), ["*/x.json"], false, 1, Files("c/x.json")));
        _repo.Delegations.Add(new Delegation("second", ECDsa.Create(ECCurve.NamedCurves.nistP256), ["b/*"], false, 2, Files("b/x.json")));
        TufResult<ReadOnlyMemory<byte>> result = await GetAsync("b/x.json");
        Assert.Equal(2, result.Provenance.TargetsVersion);
    }

    [Fact]
    public async Task A_delegated_role_signed_by_another_key_fails()
    {
        _repo.Delegations.Add(new Delegation("team-a", ECDsa.Create(ECCurve.NamedCurves.nistP256), ["a/*"], true, 1, Files("a/x.json"), Signer: ECDsa.Create(ECCurve.NamedCurves.nistP256)));
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => GetAsync("a/x.json"));
        Assert.Equal(TufErrors.ThresholdNotMet, ex.Error);
    }

    [Fact]
    public async Task A_path_outside_every_delegation_is_not_found()
    {
        _repo.Delegations.Add(new Delegation("team-a", ECDsa.Create(ECCurve.NamedCurves.nistP256), ["a/*"], false, 1, Files("a/x.json")));
        var ex = await Assert.ThrowsAnyAsync<SupplyChainException>(() => GetAsync("a/deeper/x.json"));
        Assert.Equal(TufErrors.TargetNotFound, ex.Error);
    }
}
