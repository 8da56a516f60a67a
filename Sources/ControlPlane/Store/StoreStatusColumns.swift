import GRDB

// Status enums are stored as their ECS spelling (`ACTIVE`, `DELETE_IN_PROGRESS`, ...), so the
// database reads the same as the API.
extension ECSClusterStatus: DatabaseValueConvertible {}
extension ECSTaskDefinitionStatus: DatabaseValueConvertible {}
extension ECSContainerInstanceStatus: DatabaseValueConvertible {}
extension ECSTaskStatus: DatabaseValueConvertible {}
extension ECSServiceStatus: DatabaseValueConvertible {}
extension ECSDeploymentStatus: DatabaseValueConvertible {}
extension ECSDeploymentRolloutState: DatabaseValueConvertible {}
extension ECSLaunchType: DatabaseValueConvertible {}
