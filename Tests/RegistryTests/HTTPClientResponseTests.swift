import Foundation
import WharfIO
import WharfTestSupport
import XCTest
@testable import Registry

final class HTTPClientResponseTests: XCTestCase {
    /// A `100 Continue` head and the final response arriving in one segment: the final head
    /// is parsed from what is already buffered, not waited for on the socket (which would
    /// stall until the idle timeout, the server keeping the connection open).
    func testFinalResponseBufferedBehindAnInformationalHeadIsParsedAtOnce() throws {
        let server = try OneResponseServer(response: "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Test: final\r\n\r\nhello")
        defer { server.stop() }
        let timeouts = PullTimeouts(connect: 2, idle: 5, overall: 20)
        let step = PullStep(image: "test", registry: "127.0.0.1:\(server.port)", step: "informational head",
                            deadline: PullStep.now() + timeouts.overall, overall: timeouts.overall)
        let url = try XCTUnwrap(RegistryURL(parsing: "http://127.0.0.1:\(server.port)/v2/"))
        let started = Date()
        let response = try HTTPClientResponse(method: "GET", url: url, headers: [], tls: try TLSClientContext(verifyPeer: true),
                                              timeouts: timeouts, step: step)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("x-test"), "final")
        XCTAssertEqual(try response.readAll(), Array("hello".utf8))
        XCTAssertLessThan(Date().timeIntervalSince(started), timeouts.idle / 2)
    }
}

/// Accepts one connection on 127.0.0.1, reads the request head, writes `response` in one
/// `send` and keeps the connection open until `stop`.
private final class OneResponseServer: @unchecked Sendable {
    /// How long the server waits for its one client.
    static let acceptTimeoutMilliseconds: Int32 = 10_000

    let port: Int
    private let listener: Int32
    private let response: String
    private let done = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(response: String) throws {
        self.response = response
        let opened = try LoopbackListener(backlog: 4)
        listener = opened.fd
        port = opened.port
        Thread { [self] in serve() }.start()
    }

    private func serve() {
        defer { finished.signal() }
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Self.acceptTimeoutMilliseconds) == 1 else { return }
        let client = accept(listener, nil, nil)
        guard client >= 0 else { return }
        defer { close(client) }
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !request.ends(with: Array("\r\n\r\n".utf8)) {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return }
            request += chunk[0..<n]
        }
        let bytes = Array(response.utf8)
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        done.wait()
    }

    /// Closes the connection and the listener.
    func stop() {
        done.signal()
        finished.wait()
        close(listener)
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
