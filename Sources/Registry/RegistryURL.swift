/// An absolute `http(s)://host[:port]/path?query` URL: registry endpoints, token realms and
/// redirect targets.
struct RegistryURL: Sendable, Equatable, CustomStringConvertible {
    var secure: Bool
    var host: String
    var port: Int
    /// Path and query, starting with `/`.
    var target: String

    /// `host[:port]` as sent in `Host:` (the port only when not the scheme's default).
    var authority: String {
        let shown = host.contains(":") ? "[" + host + "]" : host
        return port == (secure ? 443 : 80) ? shown : shown + ":" + String(port)
    }

    var description: String { (secure ? "https://" : "http://") + authority + target }

    init(secure: Bool, host: String, port: Int, target: String) {
        self.secure = secure
        self.host = host
        self.port = port
        self.target = target
    }

    /// Parses an absolute URL; nil when it is not http(s).
    init?(parsing text: String) {
        let secure: Bool
        var rest: Substring
        if text.hasPrefix("https://") {
            secure = true
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            secure = false
            rest = text.dropFirst(7)
        } else {
            return nil
        }
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<slash]
        rest = rest[slash...]
        guard let (host, port) = Self.split(authority: authority, defaultPort: secure ? 443 : 80) else { return nil }
        self.init(secure: secure, host: host, port: port, target: rest.isEmpty ? "/" : (rest.hasPrefix("?") ? "/" + rest : String(rest)))
    }

    /// The registry endpoint for `registry` (`host[:port]` as in a reference).
    static func registryBase(_ registry: String, secure: Bool) -> RegistryURL? {
        // Docker Hub's references say docker.io; its API lives on registry-1.docker.io.
        let host = registry == "docker.io" ? "registry-1.docker.io" : registry
        guard let (name, port) = split(authority: Substring(host), defaultPort: secure ? 443 : 80) else { return nil }
        return RegistryURL(secure: secure, host: name, port: port, target: "/")
    }

    /// Resolves a `Location` header against this URL.
    func resolving(_ location: String) -> RegistryURL? {
        if let absolute = RegistryURL(parsing: location) { return absolute }
        guard location.hasPrefix("/") else { return nil }
        var copy = self
        copy.target = location
        return copy
    }

    private static func split(authority: Substring, defaultPort: Int) -> (String, Int)? {
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, defaultPort) }
            guard after.hasPrefix(":"), let port = Int(after.dropFirst()), (1...65535).contains(port) else { return nil }
            return (host, port)
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (String(parts[0]), defaultPort)
        case 2:
            guard let port = Int(parts[1]), (1...65535).contains(port), !parts[0].isEmpty else { return nil }
            return (String(parts[0]), port)
        default: return nil
        }
    }

    /// Percent-encodes a query component value.
    static func encodeQueryValue(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let isUnreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == 0x2d || byte == 0x2e || byte == 0x5f || byte == 0x7e
            if isUnreserved {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let digits = Array("0123456789ABCDEF")
                result += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xf)])
            }
        }
        return result
    }
}
