import { App, Chart } from 'cdk8s';
import { LlmInferenceService, ScalingSignal, TokenAwareScaler } from 'tokenscale/cdk8s';

const app = new App();
const chart = new Chart(app, 'inference');

const llama = new LlmInferenceService(chart, 'llama-8b', {
  namespace: 'llm',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  hfTokenSecret: { secretName: 'hf-token' },
  placement: { zones: ['us-east-1a', 'us-east-1b'] },
  costLabels: { team: 'assistant', costCenter: 'cc-4102' },
});

new TokenAwareScaler(chart, 'llama-8b-scaler', {
  target: llama,
  signals: [ScalingSignal.queueDepth(5), ScalingSignal.kvCacheUsage(0.75)],
  minReplicas: 2,
  maxReplicas: 12,
});

app.synth();
