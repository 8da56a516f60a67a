import Foundation
import LinuxHost

/// Which runtime task runs which ECS task: one small JSON file per ECS task ID under
/// `STATE/tasks/`, so the mapping survives the daemon.
///
/// A launch writes the entry twice: before calling the runtime (an *intent*, without runtime ID)
/// and after (with it). A crash between the two leaves an intent, which ``LocalAgent`` settles
/// when it opens: it adopts the runtime task that launch created (the one labelled with the ECS
/// task, see ``ECSTaskLabels``) or drops the intent. Not thread-safe:
/// ``LocalAgent`` serializes access to the entries in memory, and writes the files
/// (``Files``) outside its lock, so a launch's file writes never hold up the others' reads.
struct LocalAgentLedger {
    struct Entry: Codable, Equatable, Sendable {
        var taskID: String
        /// nil while the launch is only intended.
        var runtimeTaskID: String?
        /// The runtime task's `taskDefinition` label.
        var familyAndRevision: String
        /// When the launch was about to begin (seconds since the epoch).
        var intentAt: Double
        /// When the task's images were being made ready (pulled, or found in the store).
        var pullStartedAt: Double?
        var pullStoppedAt: Double?
    }

    /// Slack allowed between the intent's clock reading and the runtime's own, in seconds.
    static let intentClockSlack = 1.0

    /// The ledger's files: one JSON file per entry, replaced atomically (a new file renamed
    /// over the old), so a crash leaves the old entry or the new one, never a torn file.
    ///
    /// Not flushed to disk (no `fsync`): the ledger has to survive the daemon, not the host,
    /// whose restart ends every task anyway; the runtime's own records are written the same
    /// way. (An `fsync` per write, twice per launch, cost milliseconds each on a busy disk.)
    struct Files: Sendable {
        let directory: String

        /// Writes (replacing) the file of `entry`.
        func write(_ entry: Entry) throws(AgentError) {
            let path = self.path(of: entry.taskID)
            let data: Data
            do {
                data = try JSONEncoder().encode(entry)
            } catch {
                throw .ledger(step: "encode the entry of task \(entry.taskID)", path: path, message: "\(error)")
            }
            // One writer per task at a time (``LocalAgent`` launches a task once at a time), so
            // the temporary name writeAtomically uses (per process) is apart from others'.
            do throws(SystemError) {
                try FileSystem.writeAtomically(path, String(decoding: data, as: UTF8.self), mode: 0o600)
            } catch {
                throw .ledger(step: error.step, path: path, message: error.description)
            }
        }

        /// Removes the file of `taskID` (absent is fine).
        func remove(_ taskID: String) throws(AgentError) {
            let path = self.path(of: taskID)
            guard unlink(path) == 0 || errno == ENOENT else {
                throw .ledger(step: "remove the entry of task \(taskID) (unlink)", path: path, message: String(cString: strerror(errno)))
            }
        }

        func path(of taskID: String) -> String {
            directory + "/" + taskID + ".json"
        }
    }

    let files: Files
    var directory: String { files.directory }
    private(set) var entries: [String: Entry] = [:]
    /// ECS task ID by runtime task ID: the monitor's every report looks a task up this way.
    private var byRuntimeTask: [String: String] = [:]

    /// Opens (creating) the ledger in `stateDirectory` and loads every entry.
    init(stateDirectory: String) throws(AgentError) {
        let directory = stateDirectory + "/tasks"
        files = Files(directory: directory)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .ledger(step: "create the ledger directory", path: directory, message: "\(error)")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .ledger(step: "list the ledger", path: directory, message: "\(error)")
        }
        for name in names where name.hasSuffix(".json") {
            let path = directory + "/" + name
            // A torn or foreign file names no task this agent can act on; it is skipped.
            guard let data = FileManager.default.contents(atPath: path),
                  let entry = try? JSONDecoder().decode(Entry.self, from: data)
            else { continue }
            record(entry)
        }
    }

    /// The ECS task ID whose runtime task is `runtimeTaskID`.
    func taskID(forRuntimeTask runtimeTaskID: String) -> String? {
        byRuntimeTask[runtimeTaskID]
    }

    /// Runtime task IDs some entry already claims.
    var claimedRuntimeTasks: Set<String> {
        Set(byRuntimeTask.keys)
    }

    /// Writes (replacing) `entry` and records it: ``Files/write(_:)`` then ``record(_:)``.
    mutating func save(_ entry: Entry) throws(AgentError) {
        try files.write(entry)
        record(entry)
    }

    /// Removes the entry of `taskID` (absent is fine): ``Files/remove(_:)`` then ``forget(_:)``.
    mutating func remove(_ taskID: String) throws(AgentError) {
        try files.remove(taskID)
        forget(taskID)
    }

    /// Records `entry` in memory (its file written already).
    mutating func record(_ entry: Entry) {
        if let previous = entries[entry.taskID]?.runtimeTaskID { byRuntimeTask[previous] = nil }
        entries[entry.taskID] = entry
        if let runtimeTaskID = entry.runtimeTaskID { byRuntimeTask[runtimeTaskID] = entry.taskID }
    }

    /// Forgets the entry of `taskID` in memory (its file removed already).
    mutating func forget(_ taskID: String) {
        if let runtimeTaskID = entries.removeValue(forKey: taskID)?.runtimeTaskID { byRuntimeTask[runtimeTaskID] = nil }
    }
}
