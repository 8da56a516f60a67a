/// A `WWW-Authenticate` challenge (RFC 9110 §11.6.1): scheme and auth parameters, e.g.
/// `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"`.
struct AuthenticationChallenge: Equatable, Sendable {
    /// Lowercased scheme: `bearer` or `basic`.
    var scheme: String
    /// Parameters with lowercased names.
    var parameters: [String: String]

    /// Parses the first challenge of a header value; nil when there is none.
    init?(parsing text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func skipSpaces() { while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 } }
        func token() -> String {
            let start = index
            while index < bytes.count, bytes[index] != 0x20, bytes[index] != 0x09, bytes[index] != 0x3d, bytes[index] != 0x2c {
                index += 1
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        skipSpaces()
        let scheme = token().lowercased()
        guard !scheme.isEmpty else { return nil }
        var parameters: [String: String] = [:]
        while index < bytes.count {
            skipSpaces()
            while index < bytes.count && bytes[index] == 0x2c { index += 1; skipSpaces() }
            let name = token().lowercased()
            skipSpaces()
            guard !name.isEmpty, index < bytes.count, bytes[index] == 0x3d else { break }
            index += 1
            skipSpaces()
            var value: [UInt8] = []
            if index < bytes.count && bytes[index] == 0x22 {
                index += 1
                while index < bytes.count && bytes[index] != 0x22 {
                    if bytes[index] == 0x5c && index + 1 < bytes.count { index += 1 }
                    value.append(bytes[index])
                    index += 1
                }
                index += 1
            } else {
                while index < bytes.count && bytes[index] != 0x2c && bytes[index] != 0x20 {
                    value.append(bytes[index])
                    index += 1
                }
            }
            parameters[name] = String(decoding: value, as: UTF8.self)
        }
        self.scheme = scheme
        self.parameters = parameters
    }
}
