/// A scheduled action as stored.
struct ScheduledActionRecord: Codable, Sendable, Hashable {
    var arn: String
    var name: String
    var resourceID: String
    var schedule: String
    var timezone: String
    var startTime: Double?
    var endTime: Double?
    var minCapacity: Int?
    var maxCapacity: Int?
    var creationTime: Double
}
