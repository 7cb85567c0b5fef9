"""Korean as the engine reads it: Kiwi's analysis (sentence ends, word spans, particles, predicate
forms) and words as the model's tokens spell them. Below everything that handles text."""
