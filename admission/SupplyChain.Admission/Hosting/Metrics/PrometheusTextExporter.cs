using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace SupplyChain.Admission.Hosting.Metrics;

/// <summary>
/// Renders the instruments of one <see cref="Meter"/> in the Prometheus text exposition format 0.0.4, collected with a
/// <see cref="MeterListener"/> (no package: OpenTelemetry's Prometheus exporter is a prerelease here and adds scope
/// labels). Names follow OpenTelemetry's Prometheus mapping: dots become underscores, the unit <c>s</c> adds
/// <c>_seconds</c> and <c>By</c> adds <c>_bytes</c>, counters end in <c>_total</c>. Counters sum their measurements,
/// histograms keep cumulative buckets from the instrument's advised boundaries, observable instruments report the
/// value observed at scrape time. Series are rendered in the order they first appeared. Thread-safe.
/// </summary>
internal sealed class PrometheusTextExporter : IDisposable
{
    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _states = new();
    private readonly List<InstrumentState> _order = [];
    private readonly Lock _renderLock = new();

    /// <summary>Starts listening to <paramref name="meter"/> (only that instance: another meter of the same name is not read).</summary>
    public PrometheusTextExporter(Meter meter)
    {
        _meter = meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter))
            {
                InstrumentState state = _states.GetOrAdd(instrument, i => new InstrumentState(i));
                lock (_order)
                {
                    _order.Add(state);
                }

                listener.EnableMeasurementEvents(instrument, state);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>The current value of a counter or gauge series (tests), or 0 when it has none.</summary>
    public double Value(string instrumentName, params KeyValuePair<string, object?>[] tags)
    {
        lock (_renderLock)
        {
            _listener.RecordObservableInstruments();
            InstrumentState? state = _states.Values.FirstOrDefault(s => s.Instrument.Name == instrumentName);
            return state is not null && state.Series.TryGetValue(Labels(tags), out Series? series) ? series.Value : 0;
        }
    }

    /// <summary>The exposition text of every instrument of the meter, in publication order.</summary>
    public string Render()
    {
        var text = new StringBuilder(4096);
        lock (_renderLock)
        {
            _listener.RecordObservableInstruments();
            InstrumentState[] states;
            lock (_order)
            {
                states = [.. _order];
            }

            foreach (InstrumentState state in states)
            {
                state.Render(text);
            }
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    /// <summary>The Prometheus name of an instrument (OpenTelemetry's mapping, see the class summary).</summary>
    internal static string PrometheusName(Instrument instrument)
    {
        string name = instrument.Name.Replace('.', '_');
        string? unit = instrument.Unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => null,
        };
        if (unit is not null && !name.EndsWith(unit, StringComparison.Ordinal))
        {
            name += unit;
        }

        return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    private static bool IsCounter(Instrument instrument)
    {
        Type definition = instrument.GetType().GetGenericTypeDefinition();
        return definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>);
    }

    private static bool IsHistogram(Instrument instrument) => instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>);

    /// <summary>Labels as rendered inside the braces, in the order the measurement gave them (text format: \\, \" and \n escaped).</summary>
    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            string value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            text.Append(tag.Key).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('"');
        }

        return text.ToString();
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(Format(value)).Append('\n');
    }

    private sealed class Series
    {
        public double Value;
        public long Count;
        public long[] Buckets = [];
    }

    private sealed class InstrumentState
    {
        private readonly List<string> _seriesOrder = [];

        public InstrumentState(Instrument instrument)
        {
            Instrument = instrument;
            Name = PrometheusName(instrument);
            Type = IsHistogram(instrument) ? "histogram" : IsCounter(instrument) ? "counter" : "gauge";
            Bounds = instrument switch
            {
                Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds],
                Histogram<long> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
                _ => [],
            };
        }

        public Instrument Instrument { get; }

        public string Name { get; }

        public string Type { get; }

        public double[] Bounds { get; }

        public ConcurrentDictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            Series series = Get(Labels(tags));
            lock (series)
            {
                if (Type == "histogram")
                {
                    series.Count++;
                    series.Value += value;
                    for (int i = 0; i < Bounds.Length; i++)
                    {
                        if (value <= Bounds[i])
                        {
                            series.Buckets[i]++;
                        }
                    }
                }
                else if (Instrument.IsObservable)
                {
                    series.Value = value; // observed now: a cumulative count or a current value
                }
                else
                {
                    series.Value += value;
                }
            }
        }

        public void Render(StringBuilder text)
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(Instrument.Description).Append('\n')
                .Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
            string[] order;
            lock (_seriesOrder)
            {
                order = [.. _seriesOrder];
            }

            // A histogram without labels shows its zero buckets before the first observation, as client libraries do.
            if (Type == "histogram" && order.Length == 0)
            {
                Get(string.Empty);
                order = [string.Empty];
            }

            foreach (string labels in order)
            {
                Series series = Series[labels];
                lock (series)
                {
                    if (Type != "histogram")
                    {
                        Sample(text, Name, labels, series.Value);
                        continue;
                    }

                    string prefix = labels.Length > 0 ? labels + "," : string.Empty;
                    for (int i = 0; i < Bounds.Length; i++)
                    {
                        Sample(text, Name + "_bucket", $"{prefix}le=\"{Format(Bounds[i])}\"", series.Buckets[i]);
                    }

                    Sample(text, Name + "_bucket", prefix + "le=\"+Inf\"", series.Count);
                    Sample(text, Name + "_sum", labels, series.Value);
                    Sample(text, Name + "_count", labels, series.Count);
                }
            }
        }

        /// <summary>The series of a label set, created once (and remembered in order) on first use.</summary>
        private Series Get(string labels)
        {
            if (Series.TryGetValue(labels, out Series? series))
            {
                return series;
            }

            lock (_seriesOrder)
            {
                if (!Series.TryGetValue(labels, out series))
                {
                    series = new Series { Buckets = new long[Bounds.Length] };
                    Series[labels] = series;
                    _seriesOrder.Add(labels);
                }

                return series;
            }
        }
    }
}
