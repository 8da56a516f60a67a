import Foundation
import Logging
import Runtime

/// Launches a crash interrupted: the agent's intent was recorded, the runtime task maybe
/// created, but not the entry naming it.
extension LocalAgent {
    /// Settles the intents a crash left between writing an intent and recording the runtime
    /// task: the runtime task that launch created is adopted; an intent without one is dropped
    /// (the launch never happened). The runtime task is the one labelled with the intent's ECS
    /// task (``ECSTaskLabels``); only for runtime tasks without labels (launched before they
    /// existed) is it one of the same `family:revision`, created after the intent and claimed by
    /// no other entry. Runs before the agent takes requests, so no launch is under way that could
    /// be mistaken for an interrupted one.
    static func settleIntents(_ ledger: inout LocalAgentLedger, runtime: ContainerRuntime, logger: Logger) {
        let intents = ledger.entries.values.filter { $0.runtimeTaskID == nil }.sorted { $0.intentAt < $1.intentAt }
        guard !intents.isEmpty else { return }
        let tasks = runtime.tasks()
        for intent in intents {
            let earliest = Date(timeIntervalSince1970: intent.intentAt - LocalAgentLedger.intentClockSlack)
            let claimed = ledger.claimedRuntimeTasks
            let candidate = tasks.first { ECSTaskLabels.ecsTaskID(of: $0) == intent.taskID && !claimed.contains($0.id) }
                ?? tasks.first { task in
                    task.labels[ECSTaskLabels.taskArn] == nil && task.taskDefinition == intent.familyAndRevision
                        && task.createdAt >= earliest && !claimed.contains(task.id)
                }
            do {
                if let candidate {
                    var adopted = intent
                    adopted.runtimeTaskID = candidate.id
                    try ledger.save(adopted)
                    logger.info("adopted the runtime task of an interrupted launch",
                                metadata: ["task": "\(intent.taskID)", "runtimeTask": "\(candidate.id)"])
                } else {
                    try ledger.remove(intent.taskID)
                }
            } catch {
                logger.warning("could not settle an interrupted launch", metadata: ["task": "\(intent.taskID)", "error": "\(error)"])
            }
        }
    }
}
