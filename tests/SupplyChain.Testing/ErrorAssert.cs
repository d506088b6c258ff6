using SupplyChain.Core.Errors;
using Xunit;

namespace SupplyChain.Testing;

/// <summary>
/// The one way tests assert a failure: by its stable code, never by message text (docs/errors.md). Import with
/// <c>using static SupplyChain.Testing.ErrorAssert;</c>.
/// </summary>
public static class ErrorAssert
{
    /// <summary>Asserts that <paramref name="action"/> throws a <see cref="SupplyChainException"/> (any subtype) with <paramref name="expected"/>'s code.</summary>
    /// <returns>The exception, for further checks.</returns>
    public static SupplyChainException AssertCode(ErrorCode expected, Action action)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return AssertCode(expected.Code, action);
    }

    /// <summary>Asserts that <paramref name="action"/> throws a <see cref="SupplyChainException"/> (any subtype) with the code <paramref name="expected"/> (<c>SC1234</c>).</summary>
    /// <returns>The exception, for further checks.</returns>
    public static SupplyChainException AssertCode(string expected, Action action)
    {
        SupplyChainException thrown = Assert.ThrowsAny<SupplyChainException>(action);
        Assert.Equal(expected, thrown.Code);
        return thrown;
    }

    /// <summary>Asserts that <paramref name="action"/> throws exactly <typeparamref name="TException"/> (the category's type) with the code <paramref name="expected"/>.</summary>
    /// <returns>The exception, for further checks.</returns>
    public static TException AssertCode<TException>(string expected, Action action)
        where TException : SupplyChainException
    {
        TException thrown = Assert.Throws<TException>(action);
        Assert.Equal(expected, thrown.Code);
        return thrown;
    }

    /// <summary>Asserts that <paramref name="action"/> fails with a <see cref="SupplyChainException"/> with <paramref name="expected"/>'s code.</summary>
    /// <returns>The exception, for further checks.</returns>
    public static async Task<SupplyChainException> AssertCodeAsync(ErrorCode expected, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(expected);
        SupplyChainException thrown = await Assert.ThrowsAnyAsync<SupplyChainException>(action);
        Assert.Equal(expected.Code, thrown.Code);
        return thrown;
    }

    /// <summary>Asserts that <paramref name="action"/> fails with a <see cref="SupplyChainException"/> with the code <paramref name="expected"/> (<c>SC1234</c>).</summary>
    /// <returns>The exception, for further checks.</returns>
    public static async Task<SupplyChainException> AssertCodeAsync(string expected, Func<Task> action)
    {
        SupplyChainException thrown = await Assert.ThrowsAnyAsync<SupplyChainException>(action);
        Assert.Equal(expected, thrown.Code);
        return thrown;
    }

    /// <summary>
    /// Asserts that <paramref name="thrown"/> (caught by the test) is a <see cref="SupplyChainException"/> with
    /// <paramref name="expected"/>'s code and, when <paramref name="secret"/> is given, that no message or stack text of
    /// it or its inner exceptions contains the secret (a token, a password).
    /// </summary>
    /// <returns>The exception, for further checks.</returns>
    public static SupplyChainException AssertCode(ErrorCode expected, Exception? thrown, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        SupplyChainException failure = Assert.IsAssignableFrom<SupplyChainException>(thrown);
        Assert.Equal(expected.Code, failure.Code);
        if (secret is not null)
        {
            for (Exception? x = thrown; x is not null; x = x.InnerException)
            {
                Assert.DoesNotContain(secret, x.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, x.ToString(), StringComparison.Ordinal);
            }
        }

        return failure;
    }
}
