import LB
import XCTest

/// The `/metrics` text, parsed back line by line as a Prometheus scraper would.
final class StatisticsPrometheusTests: XCTestCase {
    /// One parsed sample line.
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    enum ParseError: Error, CustomStringConvertible {
        case malformed(line: Int, String)
        var description: String {
            switch self {
            case .malformed(let line, let why): return "line \(line): \(why)"
            }
        }
    }

    /// Parses the text format 0.0.4 strictly: every sample must follow a `# TYPE` of its
    /// family (summaries also own `_sum` and `_count`), families appear once and contiguously,
    /// names and label names are valid, label values use only the three escapes.
    static func parse(_ text: String) throws -> (types: [String: String], samples: [Sample]) {
        var types: [String: String] = [:]
        var helped = Set<String>()
        var samples: [Sample] = []
        var currentFamily: String?
        XCTAssertTrue(text.hasSuffix("\n"), "the exposition ends with a line feed")
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let line = String(line)
            if line.hasPrefix("# HELP ") {
                let parts = line.dropFirst(7).split(separator: " ", maxSplits: 1)
                guard parts.count == 2, isMetricName(String(parts[0])) else { throw ParseError.malformed(line: number, "HELP: \(line)") }
                guard helped.insert(String(parts[0])).inserted else { throw ParseError.malformed(line: number, "second HELP") }
                continue
            }
            if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                guard parts.count == 2, isMetricName(String(parts[0])),
                      ["counter", "gauge", "summary", "histogram", "untyped"].contains(parts[1]) else {
                    throw ParseError.malformed(line: number, "TYPE: \(line)")
                }
                guard types[String(parts[0])] == nil else { throw ParseError.malformed(line: number, "family \(parts[0]) typed twice") }
                guard helped.contains(String(parts[0])) else { throw ParseError.malformed(line: number, "TYPE without HELP") }
                types[String(parts[0])] = String(parts[1])
                currentFamily = String(parts[0])
                continue
            }
            guard !line.hasPrefix("#"), !line.isEmpty else { throw ParseError.malformed(line: number, "unexpected line: \(line)") }
            let sample = try parseSample(line, number: number)
            guard let family = currentFamily, let type = types[family],
                  sample.name == family || (type == "summary" && (sample.name == family + "_sum" || sample.name == family + "_count"))
            else { throw ParseError.malformed(line: number, "sample \(sample.name) outside its family's TYPE") }
            if type == "counter" { XCTAssertTrue(family.hasSuffix("_total"), "counter \(family) ends in _total") }
            if type == "summary", sample.name == family {
                XCTAssertNotNil(sample.labels["quantile"], "summary sample without quantile: \(line)")
            }
            samples.append(sample)
        }
        return (types, samples)
    }

    static func parseSample(_ line: String, number: Int) throws -> Sample {
        var scalars = Substring(line).unicodeScalars[...]
        var name = ""
        while let scalar = scalars.first, scalar != "{", scalar != " " {
            name.unicodeScalars.append(scalar)
            scalars = scalars.dropFirst()
        }
        guard isMetricName(name) else { throw ParseError.malformed(line: number, "metric name \(name)") }
        var labels: [String: String] = [:]
        if scalars.first == "{" {
            scalars = scalars.dropFirst()
            while scalars.first != "}" {
                var labelName = ""
                while let scalar = scalars.first, scalar != "=" {
                    labelName.unicodeScalars.append(scalar)
                    scalars = scalars.dropFirst()
                }
                guard isLabelName(labelName), scalars.first == "=" else { throw ParseError.malformed(line: number, "label name \(labelName)") }
                scalars = scalars.dropFirst()
                guard scalars.first == "\"" else { throw ParseError.malformed(line: number, "unquoted label value") }
                scalars = scalars.dropFirst()
                var value = ""
                while true {
                    guard let scalar = scalars.first else { throw ParseError.malformed(line: number, "unterminated label value") }
                    scalars = scalars.dropFirst()
                    if scalar == "\"" { break }
                    if scalar == "\\" {
                        switch scalars.first {
                        case "\\": value += "\\"
                        case "\"": value += "\""
                        case "n": value += "\n"
                        default: throw ParseError.malformed(line: number, "bad escape")
                        }
                        scalars = scalars.dropFirst()
                    } else {
                        value.unicodeScalars.append(scalar)
                    }
                }
                guard labels.updateValue(value, forKey: labelName) == nil else { throw ParseError.malformed(line: number, "label twice") }
                if scalars.first == "," { scalars = scalars.dropFirst() }
            }
            scalars = scalars.dropFirst()
        }
        guard scalars.first == " " else { throw ParseError.malformed(line: number, "no space before the value") }
        let text = String(String.UnicodeScalarView(scalars.dropFirst()))
        let value: Double?
        switch text {
        case "NaN": value = .nan
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        default: value = Double(text)
        }
        guard let value else { throw ParseError.malformed(line: number, "value \(text)") }
        return Sample(name: name, labels: labels, value: value)
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first == ":" || isASCIILetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isASCIILetter($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isASCIILetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isASCIILetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private func value(_ samples: [Sample], _ name: String, _ labels: [String: String], line: UInt = #line) -> Double? {
        let matches = samples.filter { $0.name == name && $0.labels == labels }
        XCTAssertEqual(matches.count, 1, "\(name)\(labels)", line: line)
        return matches.first?.value
    }

    func testExpositionParsesAndCarriesTheFigures() throws {
        let awkward = "we\"b\\1\nx"
        let layout = try StatisticsLayout(
            listeners: [awkward],
            targetGroups: [.init(name: "api", targets: [.init(id: 1, key: "10.0.0.1:80"), .init(id: 2, key: "10.0.0.2:80")])]
        )
        let stats = WorkerStatistics(layout: layout)
        let hub = StatisticsHub()
        for value in 1...100 {
            StatisticsFixtures.forward(stats, status: value <= 90 ? 200 : 503, responseTime: UInt64(value) * 1_000, duration: UInt64(value) * 2_000)
        }
        stats.requestReceived(listener: 0)
        stats.requestRouted(group: 0)
        stats.lbErrorSent(.serviceUnavailable, listener: 0, group: 0, duration: 10)
        stats.clientConnectionOpened(listener: 0)
        stats.targetConnectionOpened(group: 0, target: 0)
        stats.targetResponded(group: 0, target: 1, status: 999, responseTime: 5)
        hub.merge(stats.drainDelta(now: 10, flushLatencies: true), now: 10)
        let text = PrometheusExposition.render(hub.snapshot(now: 11))

        XCTAssertTrue(text.contains("listener=\"we\\\"b\\\\1\\nx\""), "label value escaped")
        let (types, samples) = try Self.parse(text)
        XCTAssertEqual(types["wharf_lb_listener_requests_total"], "counter")
        XCTAssertEqual(types["wharf_lb_target_response_seconds"], "summary")
        XCTAssertEqual(types["wharf_lb_target_group_active_connections"], "gauge")

        let listener = ["listener": awkward]
        XCTAssertEqual(value(samples, "wharf_lb_listener_requests_total", listener), 101)
        XCTAssertEqual(value(samples, "wharf_lb_listener_responses_total", listener.merging(["code_class": "2xx"]) { $1 }), 90)
        XCTAssertEqual(value(samples, "wharf_lb_listener_lb_errors_total", listener.merging(["code": "503"]) { $1 }), 1)
        XCTAssertEqual(value(samples, "wharf_lb_listener_active_connections", listener), 1)

        let group = ["target_group": "api"]
        XCTAssertEqual(value(samples, "wharf_lb_target_group_requests_total", group), 101)
        XCTAssertEqual(value(samples, "wharf_lb_target_group_responses_total", group.merging(["code": "503", "code_class": "5xx"]) { $1 }), 10)
        XCTAssertEqual(value(samples, "wharf_lb_target_group_responses_total", group.merging(["code": "other", "code_class": "other"]) { $1 }), 1)
        XCTAssertEqual(value(samples, "wharf_lb_target_group_lb_errors_total", group.merging(["code": "503"]) { $1 }), 1)
        XCTAssertEqual(value(samples, "wharf_lb_target_group_lb_errors_total", group.merging(["code": "502"]) { $1 }), 0)

        let target = ["target_group": "api", "target": "10.0.0.1:80", "target_id": "1"]
        XCTAssertEqual(value(samples, "wharf_lb_target_requests_total", target), 100)
        XCTAssertEqual(value(samples, "wharf_lb_target_active_connections", target), 1)
        let p99 = try XCTUnwrap(value(samples, "wharf_lb_target_response_seconds", target.merging(["quantile": "0.99"]) { $1 }))
        XCTAssertEqual(p99, 0.099, accuracy: 0.099 * 0.001)
        let p50 = try XCTUnwrap(value(samples, "wharf_lb_target_response_seconds", target.merging(["quantile": "0.5"]) { $1 }))
        XCTAssertEqual(p50, 0.050, accuracy: 0.050 * 0.001)
        XCTAssertEqual(value(samples, "wharf_lb_target_response_seconds_count", target), 100)
        let sum = try XCTUnwrap(value(samples, "wharf_lb_target_response_seconds_sum", target))
        XCTAssertEqual(sum, 5.05, accuracy: 1e-9)
        XCTAssertEqual(value(samples, "wharf_lb_target_request_duration_seconds_count", target), 100)
        let idle = ["target_group": "api", "target": "10.0.0.2:80", "target_id": "2"]
        let idleMedian = try XCTUnwrap(value(samples, "wharf_lb_target_request_duration_seconds", idle.merging(["quantile": "0.5"]) { $1 }))
        XCTAssertTrue(idleMedian.isNaN, "no sample in the window: NaN")
    }

    func testEmptySnapshotRendersNothing() {
        XCTAssertEqual(PrometheusExposition.render(StatisticsHub().snapshot(now: 0)), "")
    }

    func testParserRejectsWhatTheFormatForbids() {
        XCTAssertThrowsError(try Self.parse("foo 1\n"), "sample without TYPE")
        XCTAssertThrowsError(try Self.parse("# HELP foo x\n# TYPE foo gauge\nfoo{a=\"b\\x\"} 1\n"), "bad escape")
        XCTAssertThrowsError(try Self.parse("# HELP foo x\n# TYPE foo gauge\nfoo{1a=\"b\"} 1\n"), "bad label name")
        XCTAssertThrowsError(try Self.parse("# HELP foo x\n# TYPE foo gauge\nbar 1\n"), "sample of another family")
    }
}
