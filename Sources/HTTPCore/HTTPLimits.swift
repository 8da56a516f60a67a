/// Bounds on what a peer may make the parsers hold or scan.
public struct HTTPLimits: Equatable, Hashable, Sendable {
    /// Longest request line (or status line), CRLF excluded. Exceeding it is 414.
    public var maxRequestLineLength: Int
    /// Longest head: start line, field lines and the empty line, every CRLF included (and any
    /// empty lines skipped before the request line). Exceeding it is 431.
    public var maxHeadLength: Int
    /// Longest single field line: name, colon and value (whitespace around the value included),
    /// CRLF excluded. Exceeding it is 431. Only a value below `maxHeadLength` adds a bound.
    public var maxFieldLineLength: Int
    /// Most field lines in one head (431 when exceeded), and in one chunked body's trailer section.
    public var maxFieldCount: Int
    /// Most bytes of chunk extensions (from the first `;` to the CR) on one chunk-size line.
    public var maxChunkExtensionLength: Int
    /// Longest trailer section of a chunked body, its final CRLF included.
    public var maxTrailerSectionLength: Int

    /// The defaults: 8 KiB request line, 32 KiB head, field lines bounded by the head only,
    /// 100 fields, 1 KiB of chunk extensions per chunk, 16 KiB of trailers.
    public init(
        maxRequestLineLength: Int = 8 * 1024,
        maxHeadLength: Int = 32 * 1024,
        maxFieldLineLength: Int = 32 * 1024,
        maxFieldCount: Int = 100,
        maxChunkExtensionLength: Int = 1024,
        maxTrailerSectionLength: Int = 16 * 1024
    ) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeadLength = maxHeadLength
        self.maxFieldLineLength = maxFieldLineLength
        self.maxFieldCount = maxFieldCount
        self.maxChunkExtensionLength = maxChunkExtensionLength
        self.maxTrailerSectionLength = maxTrailerSectionLength
    }
}
