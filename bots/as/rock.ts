// Always plays rock. Everything printed before the last line is ignored, so a bot may log.
console.log('rock bot says hello');
console.log('Rock');
