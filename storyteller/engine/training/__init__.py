"""Fine-tuning and training from scratch, the streamed data mixture, and the model-card measures."""
