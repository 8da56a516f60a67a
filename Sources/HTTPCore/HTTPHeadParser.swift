/// The resumable driver shared by `HTTPRequestParser` and `HTTPResponseParser`: the calling
/// contract (resume where the scan stopped, the same answer after `.complete` or `.failed`
/// until `reset()`), the head length limit, and the field section; `Grammar` scans the start
/// line and applies the rules that need the whole head.
struct HTTPHeadParser<Grammar: HTTPStartLineGrammar>: Sendable {
    /// Where the scan stopped.
    private enum Phase: UInt8, Sendable {
        /// No byte of this message scanned yet; the head is emptied on the next call.
        case idle
        /// Inside the start line (`grammar` knows where).
        case startLine
        case fields
        case complete
        case failed
    }

    /// The bounds this parser enforces.
    let limits: HTTPLimits
    private var phase: Phase = .idle
    private var position = 0
    /// Read only in the `.failed` phase, which always sets it first.
    private var failure: HTTPParseError = .headTooLarge
    private var grammar = Grammar()
    private var fieldSection = HTTPFieldSectionScanner()

    init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// Prepares for the next message.
    @inline(__always)
    mutating func reset() {
        phase = .idle
        position = 0
        grammar.reset()
        fieldSection.reset()
    }

    /// Parses the head at the start of `bytes` into `head`.
    @inline(__always)
    mutating func parse(_ bytes: UnsafeRawBufferPointer, into head: inout Grammar.Head, context: Grammar.Context)
        -> HTTPParseStatus
    {
        switch phase {
        case .complete: return .complete
        case .failed: return .failed(failure)
        case .idle:
            head.reset()
            phase = .startLine
        case .startLine, .fields: break
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .incomplete }
        let end = min(bytes.count, limits.maxHeadLength)
        let status = scan(base, end: end, head: &head, context: context)
        if case .incomplete = status, end == limits.maxHeadLength {
            // maxHeadLength bytes scanned and the head has not ended: it is longer than allowed.
            return fail(.headTooLarge)
        }
        return status
    }

    @inline(__always)
    private mutating func fail(_ error: HTTPParseError) -> HTTPParseStatus {
        phase = .failed
        failure = error
        return .failed(error)
    }

    @inline(__always)
    private mutating func scan(
        _ base: UnsafePointer<UInt8>, end: Int, head: inout Grammar.Head, context: Grammar.Context
    ) -> HTTPParseStatus {
        var index = position
        defer { position = index }

        if phase == .startLine {
            switch grammar.scan(base, index: &index, end: end, limits: limits, head: &head) {
            case .incomplete: return .incomplete
            case .failed(let error): return fail(error)
            case .ended: phase = .fields
            }
        }
        guard index < end else { return .incomplete }
        switch fieldSection.scan(
            base, position: &index, end: end, fields: &head.fields, limits: limits, sender: Grammar.sender)
        {
        case .needMore:
            return .incomplete
        case .failed(let error):
            return fail(error)
        case .complete(let headLength):
            if let error = grammar.finish(base, facts: fieldSection.facts, head: &head, context: context) {
                return fail(error)
            }
            head.headLength = headLength
            phase = .complete
            return .complete
        }
    }
}
