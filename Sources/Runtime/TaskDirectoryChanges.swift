import Foundation

/// What counts as a change of a task directory to an inotify watcher: the supervisor appends
/// events to a file there, the runtime replaces files by renaming them into place, and removing
/// the task removes the directory. Shared by every watcher of task directories (the runtime's
/// `wait` and the control plane's task monitor), so both wake on the same changes.
public enum TaskDirectoryChanges {
    /// Files written, created, renamed into place; the directory itself removed.
    public static let inotifyMask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF)
}
