import { mount } from 'svelte';
import './ui/app.css';
import App from './ui/App.svelte';
import { registerServiceWorker } from './ui/sw-register.ts';

const app = mount(App, { target: document.getElementById('app')! });
registerServiceWorker();
export default app;
