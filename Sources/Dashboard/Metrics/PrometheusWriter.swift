/// Writes the Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` before each
/// family's samples, label values and help text escaped as the format requires.
struct PrometheusWriter {
    typealias Label = (name: String, value: String)

    enum MetricType: String {
        case counter, gauge
    }

    private(set) var text = ""

    /// Starts a family; the samples written after it belong to it.
    mutating func family(_ name: String, _ type: MetricType, help: String) {
        text += "# HELP \(name) \(Self.escaped(help, quotes: false))\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// One line: `name{labels} value`.
    mutating func sample(_ name: String, _ labels: [Label], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.name)=\"\(Self.escaped($0.value, quotes: true))\"" }.joined(separator: ",") + "}"
        }
        text += " " + Self.formatted(value) + "\n"
    }

    mutating func sample(_ name: String, _ labels: [Label], _ value: Int) {
        sample(name, labels, Double(value))
    }

    /// Integers without a fraction, other values in Swift's shortest round-tripping form.
    static func formatted(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// `\` and line feeds escaped, and `"` in label values. Works on Unicode scalars, so a
    /// CR LF pair (one `Character`) still has its line feed escaped.
    static func escaped(_ value: String, quotes: Bool) -> String {
        var result = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": result.append(contentsOf: "\\n".unicodeScalars)
            case "\"" where quotes: result.append(contentsOf: "\\\"".unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
