// The crisis plan's quick view runs no other script: this registers the service worker that keeps the page
// for reading offline (src/service-worker.ts), and asks it to keep this page now, since the very first visit
// is not yet under its control. A same-origin file, so the nonce-based CSP allows it.
// The print button needs script to open the print dialog, so the page sends it hidden and this shows it.
(function () {
	var buttons = document.querySelectorAll('button[data-print]');
	for (var i = 0; i < buttons.length; i++) {
		buttons[i].hidden = false;
		buttons[i].addEventListener('click', function () {
			window.print();
		});
	}
})();
(function () {
	if (!('serviceWorker' in navigator)) return;
	var type = document.currentScript && document.currentScript.dataset.swType === 'module' ? 'module' : 'classic';
	var path = location.pathname;
	navigator.serviceWorker
		.register('/service-worker.js', { type: type })
		.then(function () {
			return navigator.serviceWorker.ready;
		})
		.then(function (registration) {
			if (registration.active) registration.active.postMessage({ type: 'keep-crisis-page', path: path });
		})
		.catch(function () {
			// No worker (private mode, an old browser): the page still reads online.
		});
})();
