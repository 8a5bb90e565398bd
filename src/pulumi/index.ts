export * from './llm-inference-service';
export * from './token-aware-scaler';
