import 'reflect-metadata';
import { runCleanups } from './cleanup';

afterAll(runCleanups);
