import Glibc

/// Process signals taken synchronously by the command's main thread (`sigwait`), never by a
/// handler: the daemons' worker threads start with them blocked, so they all arrive here.
struct SignalWaiter {
    private var signals = sigset_t()

    /// Blocks `signals` on the calling thread from now on.
    init(_ signals: [Int32]) {
        sigemptyset(&self.signals)
        for signal in signals { sigaddset(&self.signals, signal) }
        pthread_sigmask(SIG_BLOCK, &self.signals, nil)
    }

    /// Waits for the next of the signals and returns it.
    mutating func next() -> Int32 {
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        return received
    }
}
