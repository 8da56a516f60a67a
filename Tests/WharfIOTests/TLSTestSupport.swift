import Foundation
import WharfIO
import XCTest

/// Self-signed certificates made with the `openssl` CLI in a temporary directory, removed by
/// `remove()`.
final class TestCertificates: Sendable {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharfio-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            // a.test: RSA (TLS 1.2 uses ECDHE-RSA); b.test: ECDSA P-256; wild: *.wild.test.
            try make("a", commonName: "a.test", names: ["a.test"], key: ["-newkey", "rsa:2048"])
            try make("b", commonName: "b.test", names: ["b.test"], key: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
            try make("wild", commonName: "wild", names: ["*.wild.test"], key: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
        } catch {
            remove()
            throw error
        }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func source(_ name: String) -> TLSCertificateSource {
        TLSCertificateSource(certificatePath: path("\(name).pem"), privateKeyPath: path("\(name).key"))
    }

    private func make(_ name: String, commonName: String, names: [String], key: [String]) throws {
        let subjectAltName = "subjectAltName=" + names.map { "DNS:\($0)" }.joined(separator: ",")
        try runOpenSSL(
            ["req", "-x509"] + key + [
                "-nodes", "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "2",
                "-subj", "/CN=\(commonName)", "-addext", subjectAltName,
            ])
    }
}

struct OpenSSLCommandFailed: Error, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var output: String
    var description: String { "openssl \(arguments.joined(separator: " ")) exited \(status): \(output)" }
}

/// Runs `openssl` with `arguments`, feeding `input`; returns stdout + stderr.
@discardableResult
func runOpenSSL(_ arguments: [String], input: Data = Data()) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = arguments
    let output = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = stdin
    try process.run()
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw OpenSSLCommandFailed(arguments: arguments, status: process.terminationStatus, output: text)
    }
    return text
}

/// Drives non-blocking TLS steps on one loop: each step is retried when its socket is ready
/// for what it wanted, until it returns something other than `.wantRead`/`.wantWrite`.
final class TLSPump {
    let loop: EventLoop
    private var waiting: [IOWatcher] = []
    private var outstanding = 0

    init(loop: EventLoop) { self.loop = loop }

    /// Runs each `(fd, step)` to completion, all concurrently; returns their final results,
    /// or nil on timeout.
    func run(_ steps: [(fd: Int32, step: () -> TLSResult)], timeout: Double = 5) -> [TLSResult]? {
        var results = [TLSResult?](repeating: nil, count: steps.count)
        outstanding = steps.count
        for (index, entry) in steps.enumerated() {
            attempt(fd: entry.fd, step: entry.step) { results[index] = $0 }
        }
        if outstanding > 0, !runLoop(loop, timeout: timeout) { return nil }
        waiting.removeAll()
        return results.map { $0! }
    }

    private func attempt(fd: Int32, step: @escaping () -> TLSResult, completion: @escaping (TLSResult) -> Void) {
        let result = step()
        switch result {
        case .wantRead, .wantWrite:
            let watcher = IOWatcher(loop: loop, fd: fd, events: result == .wantRead ? .read : .write) { [unowned self] _ in
                self.waiting.removeAll { $0.fd == fd }
                self.attempt(fd: fd, step: step, completion: completion)
            }
            waiting.append(watcher)
            watcher.start()
        default:
            completion(result)
            outstanding -= 1
            if outstanding == 0 { loop.stop() }
        }
    }

    /// Handshakes both streams.
    func handshake(_ server: TLSStream, _ client: TLSStream) -> (server: TLSResult, client: TLSResult)? {
        guard let results = run([(server.fd, server.handshake), (client.fd, client.handshake)]) else { return nil }
        return (results[0], results[1])
    }

    /// Writes `bytes` on `writer` and reads them back on `reader`.
    func transfer(_ bytes: [UInt8], from writer: TLSStream, to reader: TLSStream) -> [UInt8]? {
        var written = 0
        var received: [UInt8] = []
        let write: () -> TLSResult = {
            while written < bytes.count {
                let result = bytes[written...].withUnsafeBytes { writer.write(from: $0) }
                guard case .bytes(let count) = result else { return result }
                written += count
            }
            return .done
        }
        let read: () -> TLSResult = {
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while received.count < bytes.count {
                let result = buffer.withUnsafeMutableBytes { reader.read(into: $0) }
                guard case .bytes(let count) = result else { return result }
                received += buffer[..<count]
            }
            return .done
        }
        guard let results = run([(writer.fd, write), (reader.fd, read)]), results == [.done, .done] else { return nil }
        return received
    }
}

/// A server and a client TLS stream over a fresh loopback pair; `close()` frees both sockets.
struct TLSPair {
    let server: TLSStream
    let client: TLSStream
    private let fds: (Int32, Int32)

    init(server context: TLSServerContext, client clientContext: TLSClientContext, serverName: String?, session: TLSSession? = nil) throws {
        let pair = try connectedPair()
        fds = pair
        do {
            server = try TLSStream(context: context, fd: pair.server)
            client = try TLSStream(clientContext: clientContext, fd: pair.client, serverName: serverName, session: session)
        } catch {
            Socket.close(pair.server)
            Socket.close(pair.client)
            throw error
        }
    }

    func close() {
        Socket.close(fds.0)
        Socket.close(fds.1)
    }
}
