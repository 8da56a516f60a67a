import HTTPCore

/// A worker's free list of equally sized I/O buffers.
///
/// Connections take a buffer only while bytes are in flight and give it back when it empties,
/// so an idle keep-alive connection holds no buffer at all: this is what keeps 10,000 idle
/// connections small. Used from one event-loop thread only.
final class BufferPool {
    /// The capacity of every buffer (bytes).
    let bufferSize: Int
    /// Buffers kept for reuse beyond this are freed, so a burst does not pin memory forever.
    let maxIdleBuffers: Int
    private var free: [IOBuffer] = []

    init(bufferSize: Int, maxIdleBuffers: Int) {
        self.bufferSize = bufferSize
        self.maxIdleBuffers = maxIdleBuffers
        free.reserveCapacity(maxIdleBuffers)
    }

    /// An empty buffer.
    @inline(__always)
    func take() -> IOBuffer {
        if let buffer = free.popLast() { return buffer }
        return IOBuffer(capacity: bufferSize)
    }

    /// Returns a buffer; its contents are discarded.
    @inline(__always)
    func give(_ buffer: IOBuffer) {
        guard free.count < maxIdleBuffers, buffer.capacity == bufferSize else { return }
        buffer.clear()
        free.append(buffer)
    }

    /// The buffer in `slot`, taking one from the pool when the slot is empty.
    @inline(__always)
    func buffer(in slot: inout IOBuffer?) -> IOBuffer {
        if let buffer = slot { return buffer }
        let buffer = take()
        slot = buffer
        return buffer
    }

    /// Gives the buffer in `slot` back if it holds no bytes.
    @inline(__always)
    func releaseIfEmpty(_ slot: inout IOBuffer?) {
        if let buffer = slot, buffer.readableBytes == 0 {
            give(buffer)
            slot = nil
        }
    }

    /// Gives the buffer in `slot` back, discarding what it holds.
    func release(_ slot: inout IOBuffer?) {
        if let buffer = slot { give(buffer) }
        slot = nil
    }
}
