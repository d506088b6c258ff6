using Microsoft.Extensions.Logging;

namespace SupplyChain.Cli;

/// <summary>
/// signcli's <see cref="ILoggerFactory"/>: the libraries' log events (TUF warnings and fallbacks, HTTP retries and
/// failures of the registry, TUF and signing clients) as lines on standard error, <c>WARNING: message</c> in the
/// style of cosign's own warnings. Warning and above by default; Debug and above with <c>--debug</c>. Lines are
/// written whole under a lock (libraries log from any thread). Only the formatted message is written: the libraries'
/// messages carry URLs without their query and never tokens, keys or certificates; an exception attached to an event
/// shows as its type alone. Control characters (a URL a registry chose can hold terminal escapes) become <c>?</c>.
/// </summary>
internal sealed class StderrLoggerFactory : ILoggerFactory
{
    private readonly TextWriter _stderr;
    private readonly LogLevel _minimum;
    private readonly Lock _gate = new();

    /// <summary>Writes events of <paramref name="minimum"/> and above to <paramref name="stderr"/>.</summary>
    public StderrLoggerFactory(TextWriter stderr, LogLevel minimum)
    {
        _stderr = stderr;
        _minimum = minimum;
    }

    /// <summary>The factory of a run: Warning and above, or Debug and above with <c>--debug</c>.</summary>
    public static StderrLoggerFactory For(TextWriter stderr, bool debug) => new(stderr, debug ? LogLevel.Debug : LogLevel.Warning);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <summary>Providers are not supported: signcli writes to standard error only.</summary>
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("signcli logs to standard error only");

    public void Dispose()
    {
    }

    /// <summary>The line of an event: its level, then the message on one line without control characters.</summary>
    internal static string Line(LogLevel level, string message, Exception? exception)
    {
        string prefix = level switch
        {
            LogLevel.Trace or LogLevel.Debug => "DEBUG: ",
            LogLevel.Information => "INFO: ",
            LogLevel.Warning => "WARNING: ",
            _ => "ERROR: ",
        };
        string text = exception is null ? message : $"{message} ({exception.GetType().Name})";
        return prefix + string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = char.IsControl(c) ? '?' : c;
            }
        });
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            _stderr.WriteLine(line);
        }
    }

    private sealed class Logger(StderrLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(Line(logLevel, formatter(state, null), exception));
            }
        }
    }
}
