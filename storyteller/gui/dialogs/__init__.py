"""The dialogs: model manager, servers, training, scenarios, introduction, candidates."""
