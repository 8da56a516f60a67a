/// Writes the Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE` lines
/// before each family's samples, label values and help text escaped as the format requires.
///
/// Used by ``PrometheusExposition`` for the load balancer and by the dashboard for the
/// control plane's `wharf_*` families, so both halves of `/metrics` are written alike.
public struct PrometheusTextWriter: Sendable {
    /// One label of a sample.
    public typealias Label = (name: String, value: String)

    /// The metric types this exposition uses.
    public enum MetricType: String, Sendable {
        case counter, gauge, summary
    }

    /// The text written so far.
    public private(set) var text = ""

    public init() {}

    /// Starts a metric family; every sample written after it until the next family belongs to it.
    public mutating func family(_ name: String, _ type: MetricType, help: String) {
        text += "# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample line: `name{labels} value`.
    public mutating func sample(_ name: String, _ labels: [Label], _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, label) in labels.enumerated() {
                if index > 0 { text += "," }
                text += label.name + "=\"" + Self.escapedLabelValue(label.value) + "\""
            }
            text += "}"
        }
        text += " " + value + "\n"
    }

    public mutating func sample(_ name: String, _ labels: [Label], _ value: UInt64) {
        sample(name, labels, String(value))
    }

    public mutating func sample(_ name: String, _ labels: [Label], _ value: Int64) {
        sample(name, labels, String(value))
    }

    public mutating func sample(_ name: String, _ labels: [Label], _ value: Int) {
        sample(name, labels, String(value))
    }

    /// A sample in seconds from a value in microseconds.
    public mutating func sample(_ name: String, _ labels: [Label], microseconds: UInt64) {
        sample(name, labels, Self.formatted(Double(microseconds) / 1_000_000))
    }

    /// A float as the format writes it (`NaN`, `+Inf`, `-Inf`, otherwise Swift's shortest
    /// round-tripping form, which Prometheus parses).
    public static func formatted(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return value.description
    }

    /// A label value with `\`, `"` and line feeds escaped. Works on Unicode scalars, so a
    /// carriage return and line feed (one `Character`) still has its line feed escaped.
    public static func escapedLabelValue(_ value: String) -> String {
        escaped(value, quotes: true)
    }

    /// Help text with `\` and line feeds escaped.
    public static func escapedHelp(_ help: String) -> String {
        escaped(help, quotes: false)
    }

    private static func escaped(_ value: String, quotes: Bool) -> String {
        let scalars = value.unicodeScalars
        guard scalars.contains(where: { $0 == "\\" || $0 == "\n" || (quotes && $0 == "\"") }) else { return value }
        var escaped = String.UnicodeScalarView()
        for scalar in scalars {
            switch scalar {
            case "\\": escaped.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": escaped.append(contentsOf: "\\n".unicodeScalars)
            case "\"" where quotes: escaped.append(contentsOf: "\\\"".unicodeScalars)
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
