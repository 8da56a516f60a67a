import LinuxHost

/// Parses `--subnet` values.
enum IPv4NetworkParser {
    static func parse(_ text: String) -> IPv4Network? { IPv4Network(text) }
}
