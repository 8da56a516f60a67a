import Foundation
import ImageStore
import Synchronization

/// Shows a pull's progress on standard output: on a terminal one line per layer (bytes and rate), redrawn at
/// most every `redrawInterval`; otherwise one plain line per layer start and finish.
public final class PullProgressDisplay: Sendable {
    /// Shortest time between two redraws of the terminal display.
    public static let redrawInterval = 0.1

    private struct Layer {
        var digest: Digest
        var size: Int64
        var received: Int64 = 0
        var started: Date?
        var finished: Date?
        var state = "waiting"
    }

    private struct State {
        var layers: [Layer] = []
        var drawnLines = 0
        var lastDraw = Date.distantPast
    }

    private let terminal: Bool
    private let state = Mutex(State())

    /// `terminal`: redraw per-layer lines in place (ANSI); otherwise print plain lines.
    public init(terminal: Bool) { self.terminal = terminal }

    /// Feeds one event (safe from several threads).
    public func handle(_ event: PullEvent) {
        state.withLock { state in
            switch event {
            case let .resolved(image, digest, layers):
                state.layers = layers.map { Layer(digest: $0.digest, size: $0.size) }
                if !terminal { print("\(image): manifest \(digest), \(layers.count) layers") }
            case let .layerStarted(digest, size):
                update(&state, digest) { $0.state = "downloading"; $0.started = Date() }
                if !terminal { print("layer \(digest.shortID): downloading \(Self.bytes(size))") }
            case let .layerProgress(digest, received, _):
                update(&state, digest) { $0.received = received }
            case let .layerCompleted(digest, size, downloaded):
                update(&state, digest) { layer in
                    layer.received = downloaded ? size : layer.received
                    layer.state = downloaded ? "done" : "already present"
                    layer.finished = Date()
                }
                if !terminal { print("layer \(digest.shortID): \(downloaded ? "done" : "already present")") }
                if terminal { draw(&state, force: true) }
                return
            }
            if terminal { draw(&state, force: false) }
        }
        fflush(nil)
    }

    /// Draws the final state.
    public func finish() {
        state.withLock { state in if terminal { draw(&state, force: true) } }
        fflush(nil)
    }

    private func update(_ state: inout State, _ digest: Digest, _ change: (inout Layer) -> Void) {
        if let index = state.layers.firstIndex(where: { $0.digest == digest }) { change(&state.layers[index]) }
    }

    private func draw(_ state: inout State, force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(state.lastDraw) >= Self.redrawInterval else { return }
        state.lastDraw = now
        var text = state.drawnLines > 0 ? "\u{1b}[\(state.drawnLines)A" : ""
        for layer in state.layers {
            var line = "\(layer.digest.shortID)  \(layer.state.padding(toLength: 15, withPad: " ", startingAt: 0))"
            if layer.state == "downloading" || layer.state == "done" {
                line += " \(Self.bytes(layer.received)) / \(Self.bytes(layer.size))"
                if let started = layer.started, layer.received > 0 {
                    let elapsed = max((layer.finished ?? now).timeIntervalSince(started), 0.001)
                    line += "  \(Self.bytes(Int64(Double(layer.received) / elapsed)))/s"
                }
            }
            text += "\u{1b}[2K" + line + "\n"
        }
        state.drawnLines = state.layers.count
        print(text, terminator: "")
    }

    private static func bytes(_ count: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: count, countStyle: .binary)
    }
}
