/// RFC 6455 frames for the WebSocket test: what a client sends (masked) and reads (unmasked).
enum WebSocketFrames {
    struct Frame: Equatable {
        var opcode: UInt8
        var payload: [UInt8]
    }

    /// A final, masked client frame.
    static func clientFrame(opcode: UInt8, payload: [UInt8], mask: [UInt8] = [0x1F, 0x2E, 0x3D, 0x4C]) -> [UInt8] {
        var frame: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count < 65_536 {
            frame.append(0x80 | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }

    /// Reads one (unmasked, server) frame.
    static func read(from connection: TestConnection) throws -> Frame {
        let header = try connection.read(count: 2, "a frame header")
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            length = try connection.read(count: 2, "a frame length").reduce(0) { $0 << 8 | Int($1) }
        } else if length == 127 {
            length = try connection.read(count: 8, "a frame length").reduce(0) { $0 << 8 | Int($1) }
        }
        let mask = header[1] & 0x80 != 0 ? try connection.read(count: 4, "a frame mask") : [0, 0, 0, 0]
        let payload = try connection.read(count: length, "a frame payload").enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return Frame(opcode: header[0] & 0x0F, payload: payload)
    }
}
