// Runs before the page is drawn: the header's menu folds only where JavaScript runs.
document.documentElement.classList.add("js");
