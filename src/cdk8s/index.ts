export * from './llm-inference-service';
export * from './synthesize';
