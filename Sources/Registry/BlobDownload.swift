import ImageStore

/// Streams one blob from the registry into the image store (the `ByteStream` handed to
/// `ingestLayer`). When the connection fails, stalls or ends early, it reconnects and resumes with
/// `Range: bytes=<received>-` (or, if the registry ignores ranges, skips what it already
/// delivered), up to the retry policy's attempts. The store verifies size and digest.
final class BlobDownload: ByteStream {
    private let session: RegistrySession
    private let digest: Digest
    private let size: Int64
    private let step: String
    private let onProgress: (Int64) -> Void
    private var response: HTTPClientResponse?
    /// Bytes handed to the store so far.
    private(set) var received: Int64 = 0
    /// Transient failures survived (each followed by a resume).
    private(set) var resumes = 0
    /// The failure behind a thrown `.sourceFailed`, for the puller to report.
    private(set) var failure: RegistryError?

    init(session: RegistrySession, digest: Digest, size: Int64, onProgress: @escaping (Int64) -> Void) {
        self.session = session
        self.digest = digest
        self.size = size
        step = "fetch blob \(digest)"
        self.onProgress = onProgress
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int {
        do {
            let n = try readResuming(into: buffer)
            received += Int64(n)
            if n > 0 { onProgress(received) }
            return n
        } catch {
            failure = error
            throw .sourceFailed(step: step, detail: error.description)
        }
    }

    /// Reads from the open response, reopening (resuming) it after a transient failure;
    /// the retry policy bounds the resumes of the whole download.
    private func readResuming(into buffer: UnsafeMutableRawBufferPointer) throws(RegistryError) -> Int {
        var failures = resumes
        defer { resumes = failures }
        return try session.withRetries(failures: &failures) { () throws(RegistryError) in
            do throws(RegistryError) {
                let response: HTTPClientResponse
                if let current = self.response { response = current } else { response = try open() }
                // Never read past the declared size: a longer body is the store's size error.
                return try response.read(into: buffer)
            } catch {
                self.response = nil
                throw error
            }
        }
    }

    /// Opens the blob at `received`, resuming when bytes were already delivered.
    private func open() throws(RegistryError) -> HTTPClientResponse {
        let pullStep = session.step(step)
        var headers: [(String, String)] = []
        if received > 0 { headers.append(("Range", "bytes=\(received)-")) }
        let response = try session.requestOnce("GET", session.url("blobs/" + digest.description), headers: headers, step: pullStep)
        if received > 0 {
            if response.status == 206 {
                guard let range = response.header("content-range"), range.hasPrefix("bytes \(received)-") else {
                    throw pullStep.protocolViolation("resume answered with range \(response.header("content-range") ?? "none"), asked for bytes=\(received)-")
                }
            } else {
                // The registry ignored the range: skip what was already delivered.
                let skip = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
                defer { skip.deallocate() }
                var toSkip = received
                while toSkip > 0 {
                    let n = try response.read(into: UnsafeMutableRawBufferPointer(rebasing: skip[0..<Int(min(toSkip, 64 * 1024))]))
                    guard n > 0 else {
                        throw .truncated(image: session.image, registry: session.registry, step: step, expected: size, received: response.delivered)
                    }
                    toSkip -= Int64(n)
                }
            }
        }
        self.response = response
        return response
    }
}
