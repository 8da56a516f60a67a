import Autoscaler

/// The controller's parsed forms of the stored policies and schedules, each kept under its ARN
/// with the stored text it was parsed from, so a tick parses only what was put or changed since
/// the last one. A text that does not parse is remembered as failed, so its failure is reported
/// once, not every second.
struct ParsedConfigurations: Sendable {
    /// One stored text and what it parsed to (nil: it did not parse).
    private struct Entry<Value: Sendable>: Sendable {
        var text: String
        var value: Value?
    }

    /// A stored configuration that did not parse, newly seen.
    struct Failure: Sendable {
        var arn: String
        var reason: String
    }

    private var policies: [String: Entry<ScalingPolicy>] = [:]
    private var schedules: [String: Entry<ScheduleExpression>] = [:]

    /// Brings the cache in line with the stored `policies` and `actions`: parses the texts not
    /// seen before, drops entries whose record is gone, and returns the failures among the newly
    /// parsed texts.
    mutating func refresh(
        policies records: [ScalingPolicyRecord], actions: [ScheduledActionRecord], tuning: TargetTrackingTuning
    ) -> [Failure] {
        var failures: [Failure] = []
        var nextPolicies: [String: Entry<ScalingPolicy>] = [:]
        for record in records {
            // The type decides how the configuration reads, so it is part of the text.
            let text = "\(record.policyType)\n\(record.configuration)"
            if let entry = policies[record.arn], entry.text == text {
                nextPolicies[record.arn] = entry
                continue
            }
            do {
                nextPolicies[record.arn] = Entry(text: text, value: try PolicyConfigurationCoding.policy(record, tuning: tuning))
            } catch {
                nextPolicies[record.arn] = Entry(text: text, value: nil)
                failures.append(Failure(arn: record.arn, reason: error.description))
            }
        }
        policies = nextPolicies

        var nextSchedules: [String: Entry<ScheduleExpression>] = [:]
        for action in actions {
            if let entry = schedules[action.arn], entry.text == action.schedule {
                nextSchedules[action.arn] = entry
                continue
            }
            do {
                nextSchedules[action.arn] = Entry(text: action.schedule, value: try ScheduleExpression(parsing: action.schedule))
            } catch {
                nextSchedules[action.arn] = Entry(text: action.schedule, value: nil)
                failures.append(Failure(arn: action.arn, reason: error.description))
            }
        }
        schedules = nextSchedules
        return failures
    }

    /// The parsed policy of the record with `arn`, nil when it did not parse.
    func policy(arn: String) -> ScalingPolicy? { policies[arn]?.value }

    /// The parsed schedule of the action with `arn`, nil when it did not parse.
    func schedule(arn: String) -> ScheduleExpression? { schedules[arn]?.value }
}
