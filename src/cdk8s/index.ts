export * from './llm-inference-service';
export * from './synthesize';
export * from './token-aware-scaler';
export * from './prometheus-adapter';
export * from './gpu-node-pool';
export * from './dcgm-exporter';
export * from './compliance-envelope';
export * from './fleet';
