// Every class Components.js instantiates must be exported here.
export * from './http/FmpHttpHandler';
export * from './http/FmpRoute';
export * from './http/routes/HealthRoute';
export * from './http/routes/OperatorMembersRoute';
export * from './members/MemberDirectory';
export * from './notifications/CreatorOnlyUnsubscriber';
export * from './notifications/CreatorRecordingChannelType';
export * from './operator/OperatorFiles';
export * from './operator/OperatorTokenChecker';
export * from './operator/OperatorTokenInitializer';
export * from './pods/StrictPodCreator';
