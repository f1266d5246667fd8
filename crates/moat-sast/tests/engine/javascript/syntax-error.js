function broken(a, {
  return a +;
}

// ruleid: syntax-error-eval
eval(userInput);
