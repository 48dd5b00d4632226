export * from './DemoResource';
export * from './catalogData';
export * from './generateDemoFarm';
