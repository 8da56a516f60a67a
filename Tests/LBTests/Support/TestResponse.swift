import Foundation

/// A response as a test client read it off the wire.
struct TestResponse {
    /// `HTTP/1.1` or `HTTP/1.0`.
    var version: String
    var status: Int
    var reason: String
    /// Field lines in arrival order, names as sent.
    var headers: [(name: String, value: String)]
    /// The body after de-chunking (empty for HEAD, 1xx, 204 and 304).
    var body: [UInt8] = []
    /// Whether the body was sent chunked.
    var wasChunked = false

    /// The value of the first field named `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of fields named `name` (case-insensitive).
    func headers(named name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The `X-Backend` the test backend puts on every answer.
    var backend: String? { header("X-Backend") }

    /// Whether the response announces that the connection closes after it.
    var closesConnection: Bool {
        header("Connection")?.lowercased().split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "close" } ?? false
    }
}
