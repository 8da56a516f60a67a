import CWharfLaunch

/// A container whose process the supervisor made while it waited for its start message: the
/// process has mounted its root filesystem, /proc, /dev and volumes and pivoted into the root,
/// and waits to be moved into the container's cgroups and handed the network namespace, host
/// name and output (`ContainerLauncher.start`). Preparing overlaps the runtime's work on the task's
/// network, so a start only has the namespace-dependent tail left to do.
///
/// Used up by a start; one never started must be abandoned (`abandon`), which kills its process.
final class PreparedContainer {
    var handle: wharf_prepared
    /// Its log, if it could be opened ahead (see `OpenedLog`).
    var log: OpenedLog?

    init(handle: wharf_prepared) {
        self.handle = handle
    }

    /// Kills and reaps the process if it was not started; its mounts go with it.
    func abandon() {
        wharf_abandon_prepared(&handle)
    }

    /// Abandons each of `containers` (so nothing of them holds the task's cgroups).
    static func abandonAll(_ containers: [String: PreparedContainer]) {
        for container in containers.values { container.abandon() }
    }
}
