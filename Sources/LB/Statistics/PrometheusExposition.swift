/// Renders an ``LBStatisticsSnapshot`` for a Prometheus `/metrics` endpoint.
///
/// Text exposition format 0.0.4. Each level has its own metric families, so that summing any
/// family over all its series is meaningful (a listener's requests are not added to its
/// target group's): `wharf_lb_listener_*{listener}`, `wharf_lb_target_group_*{target_group}`
/// and `wharf_lb_target_*{target_group,target,target_id}`. Per level:
///
/// - counters `_requests_total`, `_responses_total` (`code_class`; groups and targets also
///   `code`), `_lb_errors_total{code}`, `_received_bytes_total`, `_sent_bytes_total`,
///   `_connections_total`, and for groups and targets `_retries_total`,
///   `_passive_ejections_total`;
/// - gauge `_active_connections`;
/// - summaries `_request_duration_seconds` and, for groups and targets, the target response
///   time `wharf_lb_target_group_response_seconds` / `wharf_lb_target_response_seconds`:
///   quantiles 0.5, 0.9, 0.99 and 1 (the maximum) over the last minute (`NaN` when the minute
///   had no sample), `_sum` and `_count` since start.
public enum PrometheusExposition {
    /// The `Content-Type` of the rendered text.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The snapshot in the Prometheus text format.
    public static func render(_ snapshot: LBStatisticsSnapshot) -> String {
        var writer = PrometheusTextWriter()
        let listeners = Scope(
            level: .listener,
            series: snapshot.listeners.map { ([("listener", $0.name)], $0.traffic) }
        )
        let groups = Scope(
            level: .targetGroup,
            series: snapshot.targetGroups.map { ([("target_group", $0.name)], $0.traffic) }
        )
        let targets = Scope(
            level: .target,
            series: snapshot.targetGroups.flatMap { group in
                group.targets.map { target in
                    ([("target_group", group.name), ("target", target.key), ("target_id", String(target.id))], target.traffic)
                }
            }
        )
        for scope in [listeners, groups, targets] where !scope.series.isEmpty {
            scope.write(into: &writer)
        }
        return writer.text
    }
}

/// The series of one level (listeners, target groups or targets) and how its families read.
private struct Scope {
    enum Level {
        case listener, targetGroup, target
    }

    let level: Level
    let series: [(labels: [PrometheusTextWriter.Label], traffic: TrafficStatistics)]

    private var prefix: String {
        switch level {
        case .listener: return "wharf_lb_listener_"
        case .targetGroup: return "wharf_lb_target_group_"
        case .target: return "wharf_lb_target_"
        }
    }

    private var subject: String {
        switch level {
        case .listener: return "listener"
        case .targetGroup: return "target group"
        case .target: return "target"
        }
    }

    func write(into writer: inout PrometheusTextWriter) {
        let requestsHelp: String
        switch level {
        case .listener: requestsHelp = "Requests received by the listener."
        case .targetGroup: requestsHelp = "Requests routed to the target group."
        case .target: requestsHelp = "Request attempts sent to the target, retries included."
        }
        counter(&writer, "requests_total", help: requestsHelp) { $0.counts.requests }
        writeResponses(&writer)
        writeLBErrors(&writer)
        let side = level == .listener ? "clients" : "targets"
        counter(&writer, "received_bytes_total", help: "Bytes received from \(side) by the \(subject).") { $0.counts.bytesReceived }
        counter(&writer, "sent_bytes_total", help: "Bytes sent to \(side) by the \(subject).") { $0.counts.bytesSent }
        counter(&writer, "connections_total", help: "Connections to \(side) opened by the \(subject).") { $0.counts.connectionsOpened }
        writer.family(prefix + "active_connections", .gauge, help: "Connections to \(side) open now, for the \(subject).")
        for (labels, traffic) in series {
            writer.sample(prefix + "active_connections", labels, traffic.activeConnections)
        }
        if level != .listener {
            counter(&writer, "retries_total", help: "Attempts on the \(subject) that failed and were retried.") { $0.counts.retries }
            counter(&writer, "passive_ejections_total", help: "Times passive health checking ejected the \(subject).") {
                $0.counts.passiveEjections
            }
        }
        summary(
            &writer, prefix + "request_duration_seconds",
            help: "Request received to response completed, for the \(subject); quantiles over the last minute.",
            latency: \.requestDuration, sum: \.requestDurationMicroseconds
        )
        if level != .listener {
            summary(
                &writer, prefix + "response_seconds",
                help: "Target response time (request sent to first response byte), for the \(subject); quantiles over the last minute.",
                latency: \.targetResponseTime, sum: \.targetResponseMicroseconds
            )
        }
    }

    private func counter(
        _ writer: inout PrometheusTextWriter, _ suffix: String, help: String, value: (TrafficStatistics) -> UInt64
    ) {
        writer.family(prefix + suffix, .counter, help: help)
        for (labels, traffic) in series {
            writer.sample(prefix + suffix, labels, value(traffic))
        }
    }

    private func writeResponses(_ writer: inout PrometheusTextWriter) {
        let name = prefix + "responses_total"
        if level == .listener {
            writer.family(name, .counter, help: "Target (or in-process application) responses sent to clients by status class (generated errors are lb_errors).")
            for (labels, traffic) in series {
                let classes = traffic.counts.responses
                for (label, count) in [
                    ("1xx", classes.informational), ("2xx", classes.successful), ("3xx", classes.redirection),
                    ("4xx", classes.clientError), ("5xx", classes.serverError),
                ] {
                    writer.sample(name, labels + [("code_class", label)], count)
                }
                if classes.unclassified > 0 {
                    writer.sample(name, labels + [("code_class", "other")], classes.unclassified)
                }
            }
        } else {
            writer.family(name, .counter, help: "Responses received from targets of the \(subject) by status code.")
            for (labels, traffic) in series {
                for code in traffic.statusCodes {
                    let isClassified = code.code != StatusCodeCount.unclassifiedCode
                    let codeLabel = isClassified ? String(code.code) : "other"
                    let classLabel = isClassified ? "\(code.code / 100)xx" : "other"
                    writer.sample(name, labels + [("code", codeLabel), ("code_class", classLabel)], code.count)
                }
            }
        }
    }

    private func writeLBErrors(_ writer: inout PrometheusTextWriter) {
        let name = prefix + "lb_errors_total"
        writer.family(name, .counter, help: "Error responses the load balancer generated itself, for the \(subject), by status code.")
        for (labels, traffic) in series {
            for code in LBErrorCode.allCases {
                writer.sample(name, labels + [("code", code.description)], traffic.counts.lbErrors[code])
            }
        }
    }

    private func summary(
        _ writer: inout PrometheusTextWriter, _ name: String, help: String,
        latency: KeyPath<TrafficStatistics, LatencyStatistics>, sum: KeyPath<TrafficCounts, UInt64>
    ) {
        writer.family(name, .summary, help: help)
        for (labels, traffic) in series {
            let statistics = traffic[keyPath: latency]
            for quantile in LatencyQuantile.allCases {
                let quantileLabels = labels + [("quantile", quantile.fraction)]
                if statistics.lastMinute.count == 0 {
                    // No sample in the window: a quantile is undefined, as client libraries report it.
                    writer.sample(name, quantileLabels, PrometheusTextWriter.formatted(.nan))
                } else {
                    writer.sample(name, quantileLabels, microseconds: statistics.lastMinute.value(atQuantile: quantile))
                }
            }
            writer.sample(name + "_sum", labels, microseconds: traffic.counts[keyPath: sum])
            writer.sample(name + "_count", labels, statistics.sinceStart.count)
        }
    }
}
