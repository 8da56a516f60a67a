import Foundation
import LinuxHost

/// Deletes the directories of removed tasks off the caller's path.
///
/// `remove` takes a task directory out of the tasks directory with one `rename` into
/// `directory` (same file system), which is all a caller can observe; deleting the files
/// (logs, container writable layers) happens on a background queue, because each unlink on a
/// journaling file system may wait for the journal. A process that exits soon after removing
/// (a CLI command) waits for the queue with `drain`; directories an earlier process still left
/// there (it exited before its queue was done) are deleted when a runtime starts.
final class RemovedTaskDirectories: @unchecked Sendable {
    let directory: String
    private let queue = DispatchQueue(label: "wharf.runtime.removed-tasks", qos: .utility)

    init(directory: String) throws(SystemError) {
        self.directory = directory
        try FileSystem.makeDirectories(directory, mode: 0o700)
    }

    /// Moves `taskDirectory` (of task `id`) here and queues its deletion.
    func remove(taskDirectory: String, id: String) throws(SystemError) {
        let target = directory + "/" + id
        guard rename(taskDirectory, target) == 0 else {
            // Cannot move it aside (EXDEV: the tasks directory is on another file system than
            // this one; task ids are random, so a name clash here does not happen): delete it
            // in place instead.
            try FileSystem.removeTree(taskDirectory)
            return
        }
        queue.async { try? FileSystem.removeTree(target) }
    }

    /// Queues the deletion of everything here (left by an earlier process).
    func purgeLeftovers() {
        queue.async { [directory] in
            for name in (try? FileSystem.listDirectory(directory)) ?? [] {
                try? FileSystem.removeTree(directory + "/" + name)
            }
        }
    }

    /// Returns once every deletion queued so far is done.
    func drain() {
        queue.sync {}
    }
}
