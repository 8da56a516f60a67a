import Foundation
import LinuxHost
import ShimProtocol

/// Deletes the directories of removed tasks (see `TaskLayout`) off the caller's path.
///
/// `remove` takes each of a task's directories out of its tasks directory with one `rename` into
/// a directory of removed ones on the same file system (`storageDirectory` for the storage,
/// `stateDirectory` for the state), which is all a caller can observe; deleting the files happens
/// on a background queue. On disk each unlink may wait for the journal; on tmpfs deleting the
/// state directory that a `wait` watched costs the kernel an SRCU grace period for the watch
/// (a millisecond). A process that exits soon after removing (a CLI command) waits for the
/// queue with `drain`; directories an earlier process still left there (it exited before its
/// queue was done) are deleted when a runtime starts.
final class RemovedTaskDirectories: @unchecked Sendable {
    /// Where removed tasks' storage directories go.
    let storageDirectory: String
    /// Where removed tasks' state directories go.
    let stateDirectory: String
    private let queue = DispatchQueue(label: "wharf.runtime.removed-tasks", qos: .utility)

    init(storageDirectory: String, stateDirectory: String) throws(SystemError) {
        self.storageDirectory = storageDirectory
        self.stateDirectory = stateDirectory
        try FileSystem.makeDirectories(storageDirectory, mode: 0o700)
        try FileSystem.makeDirectories(stateDirectory, mode: 0o700)
    }

    /// Moves the directories of `layout` (task `id`) here and queues their deletion, the storage
    /// first (see `ContainerRuntime.remove`). A directory already gone is skipped.
    func remove(_ layout: TaskLayout, id: String) throws(SystemError) {
        try remove(layout.storageDirectory, into: storageDirectory + "/" + id)
        try remove(layout.directory, into: stateDirectory + "/" + id)
    }

    /// Moves a task's storage directory `path` (of a task that is gone) here and queues its deletion.
    func removeStorage(_ path: String, id: String) throws(SystemError) {
        try remove(path, into: storageDirectory + "/" + id)
    }

    private func remove(_ path: String, into target: String) throws(SystemError) {
        guard rename(path, target) == 0 else {
            if errno == ENOENT { return }
            // Cannot move it aside (EXDEV: the tasks directory is on another file system than
            // this one; task ids are random, so a name clash here does not happen): delete it
            // in place instead.
            try FileSystem.removeTree(path)
            return
        }
        queue.async { try? FileSystem.removeTree(target) }
    }

    /// Queues the deletion of everything here (left by an earlier process).
    func purgeLeftovers() {
        queue.async { [storageDirectory, stateDirectory] in
            for directory in [storageDirectory, stateDirectory] {
                for name in (try? FileSystem.listDirectory(directory)) ?? [] {
                    try? FileSystem.removeTree(directory + "/" + name)
                }
            }
        }
    }

    /// Returns once every deletion queued so far is done.
    func drain() {
        queue.sync {}
    }
}
