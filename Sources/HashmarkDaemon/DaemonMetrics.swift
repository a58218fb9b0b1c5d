import Prometheus

/// The daemon's Prometheus metrics (one registry per daemon, rendered by `MetricsServer`).
public final class DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let queueDepth: Gauge
    private let inFlight: Gauge
    private let indexEntries: Gauge
    private let latency: DurationHistogram
    private let abandoned: Counter
    private let healthy: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        queueDepth = registry.makeGauge(descriptor: Self.name("queue_depth", "", "Claimed files waiting for a worker"))
        inFlight = registry.makeGauge(descriptor: Self.name("in_flight", "", "Files being processed"))
        indexEntries = registry.makeGauge(descriptor: Self.name("index_entries", "", "Fingerprints in the loaded corpus index"))
        latency = registry.makeDurationHistogram(
            descriptor: Self.name("processing", "seconds", "Time from start of processing to the original leaving active/"),
            buckets: [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                      .seconds(2.5), .seconds(5), .seconds(10), .seconds(30)])
        abandoned = registry.makeCounter(descriptor: Self.name(
            "abandoned", "total", "Computations given up on (timeout/shutdown) that may still be running"))
        healthy = registry.makeGauge(descriptor: Self.name(
            "healthy", "", "1 while the last file finished with a durable report; 0 while reports cannot be written"))
        healthy.set(Double(1))
    }

    func setHealthy(_ value: Bool) { healthy.set(Double(value ? 1 : 0)) }

    func recordOutcome(_ outcome: ProcessOutcome, duration: Duration) {
        var labels = [("verdict", outcome.verdict.rawValue)]
        if outcome.verdict == .error, let code = outcome.errorCode { labels.append(("code", code)) }
        switch outcome.disposition {
        case .done, .failed:
            registry.makeCounter(descriptor: Self.name("files_processed", "total",
                "Files whose report is durable, by verdict and error code"), labels: labels).increment()
            if outcome.disposition == .failed {
                registry.makeCounter(descriptor: Self.name("files_failed", "total",
                    "Originals moved to failed/, by error code"), labels: labels).increment()
            }
            latency.record(duration)
        case .retry:
            registry.makeCounter(descriptor: Self.name("files_retried", "total",
                "Files left in active/ because no report could be written")).increment()
        case .superseded:
            registry.makeCounter(descriptor: Self.name("files_superseded", "total",
                "Copies of shared files dropped because another daemon took them over")).increment()
        }
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "hashmark", metricName: metric, unitName: unit, helpText: help)
    }

    func setQueue(depth: Int, inFlight count: Int) {
        queueDepth.set(Double(depth))
        inFlight.set(Double(count))
    }

    /// Number of entries in the loaded index (set after prepare/reload).
    public func setIndexEntries(_ entries: Int) { indexEntries.set(Double(entries)) }

    func recordAbandoned() { abandoned.increment() }

    /// Prometheus text exposition format.
    public func render() -> [UInt8] { registry.emitToBuffer() }
}
