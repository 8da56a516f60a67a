import HTTPCore
import XCTest

final class IOBufferTests: XCTestCase {
    private func readable(_ buffer: IOBuffer) -> String {
        String(decoding: buffer.readableBytesView, as: UTF8.self)
    }

    func testStartsEmptyWithFullCapacityWritable() {
        let buffer = IOBuffer(capacity: 64)
        XCTAssertEqual(buffer.capacity, 64)
        XCTAssertEqual(buffer.readableBytes, 0)
        XCTAssertEqual(buffer.writableBytes, 64)
        XCTAssertTrue(buffer.isEmpty)
        XCTAssertEqual(buffer.writableBytesView.count, 64)
    }

    func testWriteThroughTheWritableViewThenCommit() {
        let buffer = IOBuffer(capacity: 16)
        let view = buffer.writableBytesView
        for (offset, byte) in "GET /".utf8.enumerated() { view[offset] = byte }
        buffer.commitWrite(5)
        XCTAssertEqual(readable(buffer), "GET /")
        XCTAssertEqual(buffer.writableBytes, 11)
        XCTAssertEqual(buffer.writerIndex, 5)
    }

    func testAppendCountFillsExactlyThoseBytesInPlace() {
        let buffer = IOBuffer(capacity: 8)
        XCTAssertTrue(buffer.append("ab"))
        var offered = -1
        XCTAssertTrue(buffer.append(count: 3) { bytes in
            offered = bytes.count
            for (offset, byte) in "cde".utf8.enumerated() { bytes[offset] = byte }
        })
        XCTAssertEqual(offered, 3)
        XCTAssertEqual(readable(buffer), "abcde")
        XCTAssertEqual(buffer.writerIndex, 5)
    }

    func testAppendCountCompactsWhenThatMakesRoomAndRefusesWhenNothingDoes() {
        let buffer = IOBuffer(capacity: 8)
        XCTAssertTrue(buffer.append("123456"))
        buffer.consume(4)
        // 2 writable at the end, 6 free after compacting: 5 fit, once the "56" moved to the front.
        XCTAssertTrue(buffer.append(count: 5) { bytes in
            for offset in 0..<5 { bytes[offset] = UInt8(ascii: "a") + UInt8(offset) }
        })
        XCTAssertEqual(buffer.readerIndex, 0)
        XCTAssertEqual(readable(buffer), "56abcde")
        var called = false
        XCTAssertFalse(buffer.append(count: 2) { _ in called = true })
        XCTAssertFalse(called, "fill runs only when the bytes fit")
        XCTAssertEqual(readable(buffer), "56abcde")
        XCTAssertTrue(buffer.append(count: 0) { bytes in XCTAssertEqual(bytes.count, 0) })
        XCTAssertEqual(readable(buffer), "56abcde")
    }

    func testConsumeAndAutomaticRewindWhenDrained() {
        let buffer = IOBuffer(capacity: 16)
        XCTAssertTrue(buffer.append("abcdef"))
        buffer.consume(2)
        XCTAssertEqual(readable(buffer), "cdef")
        XCTAssertEqual(buffer.readerIndex, 2)
        XCTAssertEqual(buffer.writableBytes, 10)
        buffer.consume(4)
        XCTAssertTrue(buffer.isEmpty)
        XCTAssertEqual(buffer.readerIndex, 0)
        XCTAssertEqual(buffer.writerIndex, 0)
        XCTAssertEqual(buffer.writableBytes, 16)
    }

    func testCompactMovesUnreadBytesToTheFront() {
        let buffer = IOBuffer(capacity: 8)
        XCTAssertTrue(buffer.append("12345678"))
        buffer.consume(5)
        XCTAssertEqual(buffer.writableBytes, 0)
        buffer.compact()
        XCTAssertEqual(buffer.readerIndex, 0)
        XCTAssertEqual(readable(buffer), "678")
        XCTAssertEqual(buffer.writableBytes, 5)
    }

    func testAppendThatDoesNotFitWritesNothing() {
        let buffer = IOBuffer(capacity: 8)
        XCTAssertTrue(buffer.append("abcde"))
        XCTAssertFalse(buffer.append("fghi"))
        XCTAssertEqual(readable(buffer), "abcde")
        XCTAssertFalse(buffer.append(ascii: "0123"))
        XCTAssertEqual(readable(buffer), "abcde")
        XCTAssertTrue(buffer.append("fgh"))
        XCTAssertEqual(readable(buffer), "abcdefgh")
        XCTAssertFalse(buffer.append("!"))
    }

    func testAppendCompactsWhenTheFreeSpaceIsAtTheFront() {
        let buffer = IOBuffer(capacity: 8)
        XCTAssertTrue(buffer.append("abcdefg"))
        buffer.consume(4)
        XCTAssertEqual(buffer.writableBytes, 1)
        XCTAssertTrue(buffer.append("1234"))
        XCTAssertEqual(readable(buffer), "efg1234")
        XCTAssertEqual(buffer.readerIndex, 0)
    }

    func testAppendRawBytesAndStrings() {
        let buffer = IOBuffer(capacity: 64)
        let raw: [UInt8] = [0x48, 0x54]
        XCTAssertTrue(raw.withUnsafeBytes { buffer.append($0) })
        XCTAssertTrue(buffer.append("TP/1.1 "))
        let dynamic = "200 OK" + String(repeating: "!", count: 2)
        XCTAssertTrue(buffer.append(ascii: dynamic))
        XCTAssertTrue(buffer.append(UnsafeRawBufferPointer(start: nil, count: 0)))
        XCTAssertEqual(readable(buffer), "HTTP/1.1 200 OK!!")
    }

    func testClear() {
        let buffer = IOBuffer(capacity: 8)
        XCTAssertTrue(buffer.append("abc"))
        buffer.consume(1)
        buffer.clear()
        XCTAssertTrue(buffer.isEmpty)
        XCTAssertEqual(buffer.writableBytes, 8)
    }

    func testParsingStraightFromTheBufferAfterCompaction() {
        let buffer = IOBuffer(capacity: 64)
        XCTAssertTrue(buffer.append("xxGET / HTTP/1.1\r\nHo"))
        buffer.consume(2)
        var parser = HTTPRequestParser()
        var head = HTTPRequestHead()
        XCTAssertEqual(parser.parse(buffer.readableBytesView, into: &head), .incomplete)
        buffer.compact()
        XCTAssertTrue(buffer.append("st: a\r\n\r\n"))
        XCTAssertEqual(parser.parse(buffer.readableBytesView, into: &head), .complete)
        XCTAssertEqual(head.headLength, buffer.readableBytes)
        XCTAssertEqual(String(decoding: head.bytes(of: head.fields[0].valueRange, in: buffer.readableBytesView), as: UTF8.self), "a")
    }
}
