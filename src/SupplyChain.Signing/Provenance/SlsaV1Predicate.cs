using System.Text.Json.Nodes;

namespace SupplyChain.Signing.Provenance;

/// <summary>
/// The SLSA v1 provenance shape (slsa.dev/spec/v1.0/provenance) every mapping fills, in @actions/attest's field order:
/// <c>buildDefinition { buildType, externalParameters, internalParameters, resolvedDependencies: [git+REPO@REF with
/// gitCommit] }</c>, <c>runDetails { builder { id }, metadata { invocationId } }</c>.
/// </summary>
internal static class SlsaV1Predicate
{
    public static JsonObject Create(
        string buildType,
        JsonObject externalParameters,
        JsonObject? internalParameters,
        string? repository,
        string? gitRef,
        string? commit,
        string builderId,
        string? invocationId)
    {
        var definition = new JsonObject
        {
            ["buildType"] = buildType,
            ["externalParameters"] = externalParameters,
        };
        if (internalParameters is not null)
        {
            definition["internalParameters"] = internalParameters;
        }

        if (repository is not null)
        {
            var dependency = new JsonObject { ["uri"] = gitRef is null ? $"git+{repository}" : $"git+{repository}@{gitRef}" };
            if (commit is not null)
            {
                dependency["digest"] = new JsonObject { ["gitCommit"] = commit };
            }

            definition["resolvedDependencies"] = new JsonArray(dependency);
        }

        var run = new JsonObject { ["builder"] = new JsonObject { ["id"] = builderId } };
        if (invocationId is not null)
        {
            run["metadata"] = new JsonObject { ["invocationId"] = invocationId };
        }

        return new JsonObject { ["buildDefinition"] = definition, ["runDetails"] = run };
    }
}
