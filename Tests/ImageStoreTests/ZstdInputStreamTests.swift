import CZstd
import Foundation
import WharfTestSupport
import XCTest
@testable import ImageStore

/// The streaming zstd decompressor on frames made by libzstd itself and by the `zstd`
/// command line tool, read through small buffers, and on truncated and corrupt input.
final class ZstdInputStreamTests: ImageStoreTestCase {
    func testRoundTripThroughSmallBuffersAndConcatenatedFrames() throws {
        let original = mixedBytes(3_000_000)
        let frame = try zstdCompress(original, level: 3)
        XCTAssertLessThan(frame.count, original.count, "mixed data compresses")
        // Upstream chunks smaller than a block header, and output buffers of several sizes
        // (one byte at a time on a shorter input, to keep the test quick).
        let short = Array(original.prefix(100_000))
        XCTAssertEqual(try decompress(try zstdCompress(short, level: 3), upstreamChunk: 7, outputBuffer: 1), short)
        for (chunk, output) in [(1000, 4096), (64 * 1024, 256 * 1024)] {
            XCTAssertEqual(try decompress(frame, upstreamChunk: chunk, outputBuffer: output), original, "chunk \(chunk), output \(output)")
        }

        // Two frames with a skippable frame between them decode to both payloads in order.
        let second = Array("second frame\n".utf8)
        let skippable: [UInt8] = [0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef]
        let concatenated = frame + skippable + (try zstdCompress(second, level: 1))
        XCTAssertEqual(try decompress(concatenated, upstreamChunk: 5000, outputBuffer: 8192), original + second)
    }

    func testStreamingFramesFromTheCommandLineTool() throws {
        let original = mixedBytes(1_500_000)
        let path = scratch + "/plain"
        try write(original, to: path)
        // Piped input: the frame header carries no content size, as a streaming writer's does;
        // `-T2` splits the work into several jobs, and the tool adds a checksum per frame.
        try Subprocess.shell("zstd -q -c -T2 --no-content-size < '\(path)' > '\(path).zst'")
        let compressed = Array(try Data(contentsOf: URL(fileURLWithPath: path + ".zst")))
        XCTAssertEqual(try decompress(compressed, upstreamChunk: 3000, outputBuffer: 10_000), original)

        // A frame whose window is larger than the decoder's limit is refused by name.
        try Subprocess.shell("zstd -q -c --long=\(ZstdInputStream.maximumWindowLog + 1) < '\(path)' > '\(path).long.zst'")
        let long = Array(try Data(contentsOf: URL(fileURLWithPath: path + ".long.zst")))
        XCTAssertThrowsError(try decompress(long, upstreamChunk: 4096, outputBuffer: 4096)) { error in
            guard case let .zstdFailed(file, function, message)? = error as? ImageStoreError else {
                return XCTFail("expected a zstd failure, got \(error)")
            }
            XCTAssertEqual(file, "test blob")
            XCTAssertEqual(function, "ZSTD_decompressStream")
            XCTAssertTrue(message.contains("Wharf's limit of 2^27 bytes (128 MiB)"), message)
            XCTAssertTrue(message.contains("zstd --long=28 or more"), message)
        }

        // One flipped byte in the middle: the frame checksum (or the block structure) catches it.
        var corrupted = compressed
        corrupted[corrupted.count / 2] ^= 0x40
        assertZstdFailure(corrupted, function: "ZSTD_decompressStream", messageContains: nil)
    }

    func testTruncatedStreamsAreErrors() throws {
        let original = mixedBytes(500_000)
        let frame = try zstdCompress(original, level: 3)
        // Cut inside the frame header, inside a block, and one byte before the end.
        for length in [3, 5, frame.count / 2, frame.count - 1] {
            assertZstdFailure(Array(frame.prefix(length)), function: "ZSTD_decompressStream", messageContains: "truncated")
        }
        // A complete frame followed by the start of another one.
        let next = try zstdCompress(Array("more".utf8), level: 1)
        assertZstdFailure(frame + next.prefix(next.count - 2), function: "ZSTD_decompressStream", messageContains: "truncated")
        // No frame at all.
        assertZstdFailure([], function: "ZSTD_decompressStream", messageContains: "empty input")
    }

    func testCorruptStreamsAreErrorsNamedByLibzstd() throws {
        let frame = try zstdCompress(mixedBytes(200_000), level: 3)
        var badMagic = frame
        badMagic[0] ^= 0xff
        assertZstdFailure(badMagic, function: "ZSTD_decompressStream", messageContains: "Unknown frame descriptor")
        // Garbage after a complete frame is not a frame either.
        assertZstdFailure(frame + Array("trailing garbage".utf8), function: "ZSTD_decompressStream",
                          messageContains: "Unknown frame descriptor")
        // The frame header descriptor's reserved bit set.
        var reservedBit = frame
        reservedBit[4] |= 0x08
        assertZstdFailure(reservedBit, function: "ZSTD_decompressStream", messageContains: nil)
    }

    // MARK: - Import paths

    func testLayoutWithZstdLayersImportsAndUnpacks() throws {
        var first = TestTar()
        first.add("etc", .dir, mode: 0o755)
        first.add("etc/motd", .file("zstd layer one\n"))
        var second = TestTar()
        second.add("etc/motd", .file("zstd layer two\n"))
        second.add("data", .file(String(repeating: "wharf ", count: 100_000)))
        let layout = try writeLayout(scratch + "/zstd", name: "zstd-image", tars: [first.finish(), second.finish()], zstd: true)
        let store = try ImageStore(root: storeRoot)
        let records = try store.importOCILayout(directory: layout)
        XCTAssertEqual(records.first?.layers.map(\.mediaType), [MediaType.ociLayerZstd, MediaType.ociLayerZstd])
        let image = try store.resolve(reference: "zstd-image")
        XCTAssertEqual(try String(contentsOfFile: image.layerDirectories[0] + "/etc/motd", encoding: .utf8), "zstd layer one\n")
        XCTAssertEqual(try String(contentsOfFile: image.layerDirectories[1] + "/etc/motd", encoding: .utf8), "zstd layer two\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: image.layerDirectories[1] + "/data")).count, 600_000)

        // The same layout as a zstd-compressed tar (`wharf image import image.tar.zst`).
        try Subprocess.shell("tar -C '\(layout)' -cf - . | zstd -q -c > '\(scratch)/image.tar.zst'")
        let archiveStore = try ImageStore(root: scratch + "/store2")
        XCTAssertEqual(try archiveStore.importArchive(tarFile: scratch + "/image.tar.zst", name: "from-archive:1").count, 1)
        XCTAssertEqual(try archiveStore.resolve(reference: "from-archive:1").record.id, image.record.id)
        try assertStoreClean(store)
        try assertStoreClean(archiveStore)
    }

    func testTruncatedZstdLayerLeavesNothingBehind() throws {
        var tar = TestTar()
        tar.add("big", .file(String(repeating: "y", count: 200_000)))
        // The manifest's digest matches the cut blob, so only the decompressor can notice.
        let layout = try writeLayout(scratch + "/cut", name: "cut", tars: [tar.finish()], zstd: true,
                                     transformBeforeHash: { Array($0.dropLast(4)) })
        let store = try ImageStore(root: storeRoot)
        XCTAssertThrowsError(try store.importOCILayout(directory: layout)) { error in
            guard case let .zstdFailed(file, function, message)? = error as? ImageStoreError else {
                return XCTFail("expected a zstd failure, got \(error)")
            }
            XCTAssertTrue(file.contains("cut:latest"), file)
            XCTAssertEqual(function, "ZSTD_decompressStream")
            XCTAssertTrue(message.contains("truncated"), message)
        }
        XCTAssertEqual(try store.list(), [])
        XCTAssertEqual(FileSystem.listDirectory(store.layersDirectory), [])
        try assertStoreClean(store)
    }

    // MARK: - Helpers

    /// Bytes that compress part-way: random runs between repeated text, so frames hold both
    /// raw and compressed blocks.
    private func mixedBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        let text = Array("the quick brown fox jumps over the lazy dog; ".utf8)
        while bytes.count < count {
            for _ in 0..<UInt8.random(in: 1...50, using: &generator) { bytes += text }
            for _ in 0..<Int.random(in: 100...3000, using: &generator) { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
        }
        return Array(bytes.prefix(count))
    }

    private func decompress(_ compressed: [UInt8], upstreamChunk: Int, outputBuffer: Int) throws -> [UInt8] {
        let stream = try ZstdInputStream(ChunkedBytes(compressed, chunk: upstreamChunk), name: "test blob")
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: outputBuffer, alignment: 8)
        defer { buffer.deallocate() }
        var out: [UInt8] = []
        while true {
            let n = try stream.read(into: buffer)
            if n == 0 { break }
            XCTAssertLessThanOrEqual(n, outputBuffer)
            out += buffer[0..<n]
        }
        // The end is sticky.
        XCTAssertEqual(try stream.read(into: buffer), 0)
        return out
    }

    private func assertZstdFailure(_ compressed: [UInt8], function: String, messageContains: String?,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try decompress(compressed, upstreamChunk: 4096, outputBuffer: 16 * 1024), file: file, line: line) { error in
            guard case let .zstdFailed(blob, failedFunction, message)? = error as? ImageStoreError else {
                return XCTFail("expected a zstd failure, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(blob, "test blob", file: file, line: line)
            XCTAssertEqual(failedFunction, function, file: file, line: line)
            if let messageContains {
                XCTAssertTrue(message.contains(messageContains), message, file: file, line: line)
            }
            XCTAssertTrue("\(error)".hasPrefix("unzstd test blob: \(function): "), "\(error)", file: file, line: line)
        }
    }
}

/// Compresses `bytes` into one zstd frame with libzstd's one-shot API.
func zstdCompress(_ bytes: [UInt8], level: Int32) throws -> [UInt8] {
    var out = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
    let capacity = out.count
    let written = bytes.withUnsafeBytes { source in
        out.withUnsafeMutableBytes { destination in
            ZSTD_compress(destination.baseAddress, capacity, source.baseAddress, source.count, level)
        }
    }
    guard ZSTD_isError(written) == 0 else {
        throw ImageStoreError.zstdFailed(file: "test", function: "ZSTD_compress", message: String(cString: ZSTD_getErrorName(written)))
    }
    return Array(out.prefix(written))
}

/// Hands out `bytes` at most `chunk` bytes per read, as a slow network would.
final class ChunkedBytes: ByteStream {
    private let bytes: [UInt8]
    private let chunk: Int
    private var offset = 0

    init(_ bytes: [UInt8], chunk: Int) {
        self.bytes = bytes
        self.chunk = chunk
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageStoreError) -> Int {
        let n = min(buffer.count, chunk, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + n]))
        }
        offset += n
        return n
    }
}
