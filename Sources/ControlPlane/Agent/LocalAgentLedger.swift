import Foundation

/// Which runtime task runs which ECS task: one small JSON file per ECS task ID under
/// `STATE/tasks/`, so the mapping survives the daemon.
///
/// A launch writes the entry twice: before calling the runtime (an *intent*, without runtime ID)
/// and after (with it). A crash between the two leaves an intent, which ``LocalAgent`` settles
/// when it opens: it adopts the runtime task that launch created (same `family:revision`, created
/// after the intent, not claimed by another entry) or drops the intent. Not thread-safe:
/// ``LocalAgent`` serializes access.
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

    let directory: String
    private(set) var entries: [String: Entry] = [:]

    /// Opens (creating) the ledger in `stateDirectory` and loads every entry.
    init(stateDirectory: String) throws(AgentError) {
        directory = stateDirectory + "/tasks"
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
            entries[entry.taskID] = entry
        }
    }

    /// The ECS task ID whose runtime task is `runtimeTaskID`.
    func taskID(forRuntimeTask runtimeTaskID: String) -> String? {
        entries.values.first { $0.runtimeTaskID == runtimeTaskID }?.taskID
    }

    /// Runtime task IDs some entry already claims.
    var claimedRuntimeTasks: Set<String> {
        Set(entries.values.compactMap(\.runtimeTaskID))
    }

    /// Writes (replacing) `entry`.
    mutating func save(_ entry: Entry) throws(AgentError) {
        let path = self.path(of: entry.taskID)
        do {
            let data = try JSONEncoder().encode(entry)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .ledger(step: "write the entry of task \(entry.taskID)", path: path, message: "\(error)")
        }
        entries[entry.taskID] = entry
    }

    /// Removes the entry of `taskID` (absent is fine).
    mutating func remove(_ taskID: String) throws(AgentError) {
        let path = self.path(of: taskID)
        if FileManager.default.fileExists(atPath: path) {
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw .ledger(step: "remove the entry of task \(taskID)", path: path, message: "\(error)")
            }
        }
        entries[taskID] = nil
    }

    private func path(of taskID: String) -> String {
        directory + "/" + taskID + ".json"
    }
}
